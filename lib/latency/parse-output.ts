import { failedMeasurement, OUTPUT_LIMITS, sanitizeForReason, type Measurement } from "./measurement";
import { parsePingOutput } from "./parse-ping";
import { parseTcpOutput } from "./parse-tcp";
import type { ScriptTarget } from "./script";

// Splits the probe script's output into its sections (see script.ts) and reads each one. Only
// markers carrying this round's nonce count; lines outside sections (a login banner, a shell's
// complaint) are ignored. A probe whose section is missing or malformed becomes a failed
// measurement with a reason, so one bad target never hides the others.

export interface ProbeOutcome {
  targetIndex: number;
  measurement: Measurement;
}

interface Section {
  lines: string[];
  exitCode: number | null;
}

function readSections(stdout: string, nonce: string): { sections: Map<string, Section>; fatal: string | null } {
  const sections = new Map<string, Section>();
  const begin = new RegExp(`^BEGIN ${nonce} (\\d{1,4}) (icmp|tcp)$`);
  const end = new RegExp(`^END ${nonce} (\\d{1,4}) (icmp|tcp) (\\d{1,3})$`);
  const fatal = new RegExp(`^SKJOLD-FATAL ${nonce} (.*)$`);
  let open: { key: string; section: Section } | null = null;
  for (const line of stdout.split("\n")) {
    let m: RegExpExecArray | null;
    if ((m = fatal.exec(line))) return { sections, fatal: sanitizeForReason(m[1]!) };
    if (!open && (m = begin.exec(line))) {
      const key = `${m[1]}.${m[2]}`;
      if (sections.has(key)) continue; // a repeated section is ignored, the first one stands
      open = { key, section: { lines: [], exitCode: null } };
      sections.set(key, open.section);
    } else if (open && (m = end.exec(line)) && `${m[1]}.${m[2]}` === open.key) {
      open.section.exitCode = Number(m[3]);
      open = null;
    } else if (open) {
      open.section.lines.push(line);
    }
  }
  return { sections, fatal: null };
}

export function parseProbeOutput(opts: { stdout: string; nonce: string; targets: readonly ScriptTarget[] }): ProbeOutcome[] {
  const expected = opts.targets.flatMap((t, i) => [
    ...(t.icmp ? [{ i, kind: "icmp" as const, count: t.count }] : []),
    ...(t.tcp ? [{ i, kind: "tcp" as const, count: t.count }] : []),
  ]);
  if (!/^[0-9a-f]{16}$/.test(opts.nonce)) throw new Error("nonce must be 16 hex digits");
  const method = (kind: "icmp" | "tcp") => (kind === "icmp" ? "ICMP" : "TCP");
  const tooLong = opts.stdout.length > OUTPUT_LIMITS.totalChars;
  const { sections, fatal } = tooLong ? { sections: new Map<string, Section>(), fatal: null } : readSections(opts.stdout, opts.nonce);
  return expected.map(({ i, kind, count }) => {
    const section = sections.get(`${i}.${kind}`);
    const failWith = (reason: string) => ({ targetIndex: i, measurement: failedMeasurement(method(kind), reason) });
    if (tooLong) return failWith("the host printed more output than a probe round can");
    if (fatal) return failWith(`probe script failed on the host: ${fatal}`);
    if (!section) return failWith("no output for this probe (the host's output was cut short)");
    if (section.exitCode === null) return failWith("the output of this probe was cut short");
    const input = { text: section.lines.join("\n"), exitCode: section.exitCode, count };
    return { targetIndex: i, measurement: kind === "icmp" ? parsePingOutput(input) : parseTcpOutput(input) };
  });
}
