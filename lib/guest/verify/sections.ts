import { randomBytes } from "node:crypto";
import { AppError } from "../../core/errors";

// One batched evidence command: every section is framed by markers carrying a per-run nonce, so a
// file's contents can never forge a section boundary.

export type Section = { name: string; command: string };

export function newNonce(): string {
  return randomBytes(8).toString("hex");
}

/** A script that runs every section's command and frames its output and exit code. */
export function buildSectionScript(sections: Section[], nonce: string): string {
  const body = sections.map(
    (s) => `echo '@@SKJOLD ${nonce} BEGIN ${s.name}'\n( ${s.command} ) 2>&1 || true\necho '@@SKJOLD ${nonce} END ${s.name}'`,
  );
  return ["export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", ...body, ""].join("\n");
}

/** Splits the output back into sections; refuses output with missing, repeated or stray sections. */
export function parseSections(stdout: string, names: string[], nonce: string): Record<string, string> {
  const out: Record<string, string> = {};
  // An END marker may follow output that had no final newline: whatever precedes it is content.
  const re = new RegExp(`^(.*?)@@SKJOLD ${nonce} (BEGIN|END) ([a-z0-9-]+)$`);
  let current: string | null = null;
  let lines: string[] = [];
  for (const line of stdout.split("\n")) {
    const m = re.exec(line);
    if (!m) {
      if (current) lines.push(line);
      else if (line.trim()) throw bad(`output outside any section: ${line.slice(0, 80)}`);
      continue;
    }
    const [, before, edge, name] = m as unknown as [string, string, string, string];
    if (before && edge === "END" && current) lines.push(before);
    else if (before) throw bad(`marker not at the start of a line: ${line.slice(0, 80)}`);
    if (edge === "BEGIN") {
      if (current || name in out) throw bad(`section ${name} opened twice or inside another`);
      current = name;
      lines = [];
    } else {
      if (current !== name) throw bad(`section ${name} closed without being open`);
      out[name] = lines.join("\n");
      current = null;
    }
  }
  if (current) throw bad(`section ${current} never closed`);
  const missing = names.filter((n) => !(n in out));
  if (missing.length) throw bad(`sections missing: ${missing.join(", ")}`);
  return out;
}

const bad = (why: string) => new AppError("HOST_COMMAND_FAILED", `Evidence output from the guest is malformed: ${why}`);
