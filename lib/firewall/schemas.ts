import { z } from "zod";
import { parsePrefix } from "../network/ip";

// A team's firewall rule set as a tenant sends it (form and API alike): a name, inbound allow rules
// and the outbound default. Every refusal names its field (`rules.3.toPort`), and nothing is stored
// or applied unless the whole set holds.

/** At most this many inbound rules in one set (each becomes one or two nft rules per VM). */
export const MAX_FIREWALL_RULES = 50;
/** At most this many source prefixes in one rule. */
export const MAX_RULE_SOURCES = 20;
/** At most this many rule sets on one VM. */
export const MAX_VM_RULE_SETS = 5;

const RuleSetNameSchema = z
  .string()
  .max(40, "must be at most 40 characters")
  .regex(/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/, "use 1–40 lowercase letters, digits and inner dashes");

/** A source prefix; a bare address means just that address (/32 or /128). */
const SourceSchema = z
  .string()
  .trim()
  .max(64, "must be at most 64 characters")
  .transform((text, ctx) => {
    const withLen = text.includes("/") ? text : `${text}/${text.includes(":") ? 128 : 32}`;
    const p = parsePrefix(withLen);
    if (p.ok) return withLen.toLowerCase();
    ctx.addIssue({
      code: "custom",
      message:
        p.problem === "host-bits"
          ? `${text} has host bits set; did you mean ${p.suggestion}?`
          : `${text} is not a prefix such as 198.51.100.0/24 or 2001:db8::/32`,
    });
    return z.NEVER;
  });

const PortSchema = z.number().int("must be a whole number").min(1, "must be at least 1").max(65535, "must be at most 65535");

export const FirewallRuleSchema = z
  .strictObject({
    protocol: z.enum(["tcp", "udp", "icmp"]),
    /** tcp/udp: the first port; icmp: leave out */
    fromPort: PortSchema.nullish(),
    /** tcp/udp: the last port (the same as fromPort for one port; left out, it is fromPort) */
    toPort: PortSchema.nullish(),
    sources: z
      .array(SourceSchema)
      .min(1, "name at least one source (0.0.0.0/0 and ::/0 for everyone)")
      .max(MAX_RULE_SOURCES, `at most ${MAX_RULE_SOURCES} sources in one rule`),
    description: z
      .string()
      .max(100, "must be at most 100 characters")
      .regex(/^[^\p{Cc}]*$/u, "must not contain control characters")
      .nullish(),
  })
  .superRefine((r, ctx) => {
    if (r.protocol === "icmp") {
      if (r.fromPort != null || r.toPort != null)
        ctx.addIssue({ code: "custom", path: ["fromPort"], message: "ICMP has no ports; leave the port range out" });
      return;
    }
    if (r.fromPort == null) {
      ctx.addIssue({ code: "custom", path: ["fromPort"], message: "TCP and UDP rules need a port" });
      return;
    }
    if (r.toPort != null && r.toPort < r.fromPort)
      ctx.addIssue({ code: "custom", path: ["toPort"], message: `the port range is reversed: ${r.fromPort} comes after ${r.toPort}` });
  });
export type FirewallRule = z.output<typeof FirewallRuleSchema>;

export const FirewallRuleSetInput = z.strictObject({
  name: RuleSetNameSchema,
  /** what the VM may send: everything (allow) or only replies to what was let in (deny) */
  outbound: z.enum(["allow", "deny"]).default("allow"),
  rules: z.array(FirewallRuleSchema).max(MAX_FIREWALL_RULES, `at most ${MAX_FIREWALL_RULES} rules in a rule set`),
});
export type FirewallRuleSetInput = z.input<typeof FirewallRuleSetInput>;

/** The rule sets a VM has (by id), replacing what it had: [] takes its firewall away. */
export const VmFirewallInput = z.strictObject({
  ruleSetIds: z
    .array(z.uuid("must be a valid id"))
    .max(MAX_VM_RULE_SETS, `at most ${MAX_VM_RULE_SETS} rule sets on a VM`)
    .refine((ids) => new Set(ids).size === ids.length, "names a rule set twice"),
});
export type VmFirewallInput = z.infer<typeof VmFirewallInput>;

/** A stored rule list, read back (it was validated when it was stored). */
export const StoredRulesSchema = z.array(FirewallRuleSchema);
