import type { FirewallRule } from "./schemas";

// The portal's form writes a rule set's inbound rules one per line, the way an operator reads them:
//   tcp 8080 198.51.100.0/24, 2001:db8::/32
//   udp 60000-61000 0.0.0.0/0      # mosh
//   icmp 0.0.0.0/0, ::/0
// Split here into the API's rule objects, unchecked: FirewallRuleSetInput judges them (a refusal
// names `rules.<line - 1>.<field>`).

/** The rule objects of the text, one per non-empty line. */
export function parseRuleLines(text: string): unknown[] {
  const rules: unknown[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const [body = "", ...comment] = raw.split("#");
    const tokens = body.trim().split(/\s+/).filter(Boolean);
    if (!tokens.length) continue;
    const [protocol = "", ...rest] = tokens;
    const rule: Record<string, unknown> = { protocol: protocol.toLowerCase() };
    let sourceTokens = rest;
    if (rule.protocol !== "icmp") {
      const [ports = "", ...sources] = rest;
      const [from, to] = ports.split("-");
      rule.fromPort = from ? Number(from) : null;
      rule.toPort = to ? Number(to) : null;
      sourceTokens = sources;
    }
    rule.sources = sourceTokens
      .join(" ")
      .split(/[\s,]+/)
      .filter(Boolean);
    const description = comment.join("#").trim();
    if (description) rule.description = description;
    rules.push(rule);
  }
  return rules;
}

/** The rules as the form's lines (parseRuleLines reads them back). */
export function formatRuleLines(rules: FirewallRule[]): string {
  return rules
    .map((r) => {
      const ports =
        r.protocol === "icmp" ? "" : r.toPort != null && r.toPort !== r.fromPort ? ` ${r.fromPort}-${r.toPort}` : ` ${r.fromPort}`;
      return `${r.protocol}${ports} ${r.sources.join(", ")}${r.description ? `  # ${r.description}` : ""}`;
    })
    .join("\n");
}

/** One rule in a line of text, for tables ("tcp 8080 from 198.51.100.0/24"). */
export const ruleText = (r: Pick<FirewallRule, "protocol" | "fromPort" | "toPort">) =>
  r.protocol === "icmp" ? "icmp" : `${r.protocol} ${r.fromPort}${r.toPort != null && r.toPort !== r.fromPort ? `-${r.toPort}` : ""}`;
