import { failedMeasurement, OUTPUT_LIMITS, sanitizeForReason, type Measurement } from "./measurement";

// Reads the TCP section of the probe script: one line per connect attempt,
//   try <seq> <exit code> <t0> <t1>      a connect that completed (bash $EPOCHREALTIME, µs)
//   try <seq> <exit code> <message>      a connect that did not
// Exit code 124 is `timeout` giving up. The round trip is t1 − t0: the kernel's connect() returns
// when the SYN-ACK arrives, so it is one SYN → SYN-ACK round trip.

const TRY = /^try (\d{1,2}) (\d{1,3}) ?(.*)$/;
const TIMES = /^(\d{9,11})\.(\d{6}) (\d{9,11})\.(\d{6})$/;

function micros(sec: string, frac: string): number {
  return Number(sec) * 1_000_000 + Number(frac);
}

function connectFailureReason(exitCode: number, message: string): string {
  if (exitCode === 124) return "connect timed out";
  if (/refused/i.test(message)) return "connection refused (nothing listens on that port)";
  if (/no route to host|host is unreachable/i.test(message)) return "no route to host";
  if (/network is unreachable/i.test(message)) return "network unreachable (no route on the host)";
  if (/invalid argument|not known|resolv/i.test(message)) return "cannot connect to that address";
  const shown = sanitizeForReason(message, 80);
  return shown ? `connect failed: ${shown}` : `connect failed (exit ${exitCode})`;
}

export function parseTcpOutput({ text, exitCode, count }: { text: string; exitCode: number; count: number }): Measurement {
  const fail = (reason: string) => failedMeasurement("TCP", reason);
  if (exitCode === 68) return fail("could not resolve the target's host name on the host");
  if (exitCode !== 0) return fail(`TCP probe failed (exit ${exitCode})`);
  if (text.length > OUTPUT_LIMITS.sectionChars) return fail("TCP probe printed more output than a probe can");
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (lines.length !== count) return fail(`TCP probe output was cut short (${lines.length} of ${count} attempts)`);

  const rttsMs: number[] = [];
  const reasons: string[] = [];
  for (const [i, line] of lines.entries()) {
    const m = line.length <= OUTPUT_LIMITS.lineChars ? TRY.exec(line) : null;
    if (!m || Number(m[1]) !== i + 1) return fail(`unexpected output from the TCP probe: "${sanitizeForReason(line, 80)}"`);
    const code = Number(m[2]);
    const t = TIMES.exec(m[3]!);
    if (code === 0 && t) {
      const rtt = (micros(t[3]!, t[4]!) - micros(t[1]!, t[2]!)) / 1000;
      if (!(rtt >= 0 && rtt <= OUTPUT_LIMITS.maxRttMs)) return fail("TCP probe reported an impossible time");
      rttsMs.push(rtt);
    } else if (code === 0) {
      return fail(`unexpected output from the TCP probe: "${sanitizeForReason(line, 80)}"`);
    } else {
      reasons.push(connectFailureReason(code, m[3]!));
    }
  }
  const error = rttsMs.length > 0 ? null : (reasons[0] ?? "no connect completed");
  return { method: "TCP", sent: count, received: rttsMs.length, rttsMs, error };
}
