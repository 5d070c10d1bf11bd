import { failedMeasurement, OUTPUT_LIMITS, sanitizeForReason, type Measurement } from "./measurement";

// A strict reader of iputils ping output (`ping -n -c COUNT -W T -i 0.2 ADDR`). Every line must be
// one ping really prints; the summary must agree with the replies seen. Anything else is a failed
// measurement with a reason, never a number.

const HEADER = /^PING \S+ ?\(\S+\) \d+(\(\d+\))? (data )?bytes( of data)?\.?$/;
const REPLY = /^\d+ bytes from \S+: icmp_seq=(\d{1,5}) ttl=\d{1,3} time=(\d{1,6}(?:\.\d{1,3})?) ms( \(DUP!\))?$/;
const ERROR_FROM = /^From \S+ icmp_seq=(\d{1,5}) ([A-Za-z][A-Za-z ]{2,60})$/;
const STATS_HEADER = /^--- \S+ ping statistics ---$/;
const SUMMARY =
  /^(\d{1,5}) packets transmitted, (\d{1,5}) received(?:, \+(\d{1,5}) duplicates)?(?:, \+(\d{1,5}) corrupted)?(?:, \+(\d{1,5}) errors)?, (\d{1,3}(?:\.\d+)?)% packet loss(?:, time \d+ms)?$/;
const RTT_LINE = /^rtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms(?:, pipe \d+)?$/;
const PIPE = /^pipe \d+$/;
const PING_ERROR = /^ping: (.+)$/;

export interface PingParseInput {
  text: string;
  exitCode: number;
  count: number;
}

function fail(reason: string): Measurement {
  return failedMeasurement("ICMP", reason);
}

export function parsePingOutput({ text, exitCode, count }: PingParseInput): Measurement {
  if (exitCode === 127 && text.trim() === "") return fail("ping is not installed on the host (package iputils-ping)");
  if (exitCode === 124) return fail("ping did not finish in time");
  if (text.length > OUTPUT_LIMITS.sectionChars) return fail("ping printed more output than a probe can");
  const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
  if (lines.at(-1) === "") lines.pop();

  const replies = new Map<number, number>();
  const errors: string[] = [];
  let stage: "start" | "replies" | "statistics" | "summary" = "start";
  let summary: RegExpExecArray | null = null;

  for (const [i, line] of lines.entries()) {
    if (line.length > OUTPUT_LIMITS.lineChars) return fail(`unexpected output from ping (line ${i + 1} is too long)`);
    let m: RegExpExecArray | null;
    if (stage === "start" && (m = PING_ERROR.exec(line))) return fail(`ping: ${sanitizeForReason(m[1]!)}`);
    if (stage === "start" && HEADER.test(line)) {
      stage = "replies";
    } else if (stage === "replies" && (m = REPLY.exec(line))) {
      const seq = Number(m[1]);
      const rtt = Number(m[2]);
      if (!(rtt >= 0 && rtt <= OUTPUT_LIMITS.maxRttMs)) return fail(`ping reported an impossible time (${m[2]} ms)`);
      if (seq < 1 || seq > count) return fail(`ping reported icmp_seq=${seq} for ${count} packets`);
      if (m[3] || replies.has(seq)) continue; // a duplicate reply: counted by ping, not a new sample
      replies.set(seq, rtt);
    } else if (stage === "replies" && (m = ERROR_FROM.exec(line))) {
      errors.push(m[2]!.toLowerCase());
    } else if (stage === "replies" && line === "") {
    } else if (stage === "replies" && STATS_HEADER.test(line)) {
      stage = "statistics";
    } else if (stage === "statistics" && (m = SUMMARY.exec(line))) {
      summary = m;
      stage = "summary";
    } else if (stage === "summary" && (line === "" || RTT_LINE.test(line) || PIPE.test(line))) {
    } else {
      return fail(`unexpected output from ping: "${sanitizeForReason(line, 80)}"`);
    }
  }
  if (!summary) return fail("ping output was cut short (no summary)");

  const transmitted = Number(summary[1]);
  const received = Number(summary[2]);
  const lossPct = Number(summary[6]);
  if (transmitted > count || received > transmitted) return fail("ping summary does not add up");
  if (received !== replies.size) return fail(`ping summary says ${received} received but ${replies.size} replies were printed`);
  if (transmitted > 0 && Math.abs(lossPct - ((transmitted - received) * 100) / transmitted) > 0.5) {
    return fail("ping summary loss does not match its counts");
  }
  if ((exitCode === 0) !== received > 0) return fail(`ping exited with ${exitCode} after ${received} replies`);

  const rttsMs = [...replies.entries()].sort((a, b) => a[0] - b[0]).map(([, rtt]) => rtt);
  const error = received > 0 ? null : errors.length > 0 ? `no reply: ${errors[0]}` : "no reply (100% loss)";
  return { method: "ICMP", sent: transmitted, received, rttsMs, error };
}
