// What one probe of one target from one host produced, before it is stored as a LatencySample.
// `sent` counts packets or connects that really went out: a probe that could not run at all (tool
// missing, host unreachable, unreadable output) has sent 0 and an error, so it never counts as loss.

export type ProbeKind = "ICMP" | "TCP";

export interface Measurement {
  method: ProbeKind;
  sent: number;
  received: number;
  rttsMs: number[];
  error: string | null;
}

export function failedMeasurement(method: ProbeKind, error: string): Measurement {
  return { method, sent: 0, received: 0, rttsMs: [], error };
}

/** Keeps text from a host printable and short before it is stored or shown. */
export function sanitizeForReason(text: string, max = 120): string {
  const clean = text
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, "")
    .replace(/[^\x20-\x7e]/g, "?")
    .trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** Limits on anything parsed from a host, so hostile output costs little and proves nothing. */
export const OUTPUT_LIMITS = { sectionChars: 64 * 1024, lineChars: 512, totalChars: 2 * 1024 * 1024, maxRttMs: 60_000 };
