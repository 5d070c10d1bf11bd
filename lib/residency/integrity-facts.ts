import type { LedgerProblem } from "./verify";
import type { ReportIntegrity } from "./run-verification";

// What every report format says about the chain it was built from: one statement, one header value,
// one JSON object, so the PDF, the JSON, the CSV and the HTTP headers cannot disagree. A broken chain
// marks the report; it does not withhold it (docs/residency.md, "A broken ledger").

const PROBLEM_DESCRIPTIONS: Record<LedgerProblem, string> = {
  content: "its content no longer matches its hash",
  link: "it no longer links to the hash of the entry before it",
  gap: "an entry is missing (deleted)",
  anchor: "its hash differs from the one an earlier verification recorded, so the chain was rewritten from there",
};

export function formatUtc(d: Date | null): string {
  return d ? `${d.toISOString().slice(0, 19).replace("T", " ")} UTC` : "-";
}

export function isBroken(i: ReportIntegrity): i is Extract<ReportIntegrity, { status: "broken" }> {
  return i.status === "broken";
}

/** One paragraph an auditor can read: what was verified and when, or what is broken. */
export function integrityStatement(i: ReportIntegrity, headSeq: string): string {
  if (isBroken(i)) {
    const b = i.brokenAt;
    const ack = i.acknowledgement
      ? ` The operator acknowledged this on ${formatUtc(i.acknowledgement.at)} (${i.acknowledgement.by}): "${i.acknowledgement.reason}".`
      : "";
    return (
      `LEDGER BROKEN: the verification of ${formatUtc(i.detectedAt)} found entry seq ${b.seq} altered: ${PROBLEM_DESCRIPTIONS[b.problem]}. ` +
      `The hash chain therefore does not prove this ledger unaltered, and any fact in this report that rests on entries from seq ${b.seq} ` +
      `on may be false. Compare it with a backup of the ledger before relying on it.${ack}`
    );
  }
  const full = i.fullVerification;
  const tail =
    BigInt(headSeq) > BigInt(full.throughSeq)
      ? `; entries ${BigInt(full.throughSeq) + 1n}-${headSeq} were verified incrementally, the last time on ${formatUtc(i.verifiedThrough.at)}`
      : "";
  return (
    `Verified: the hash chain of entries 1-${headSeq} holds. Entries 1-${full.throughSeq} were recomputed in full on ${formatUtc(full.at)}${tail}. ` +
    "An entry altered after its last verification is found by the next full verification (hourly, and on demand)."
  );
}

/** The X-Skjold-Ledger-Integrity header: machine-readable, on every format. */
export function integrityHeader(i: ReportIntegrity, headSeq: string): string {
  const parts = isBroken(i)
    ? [
        "broken",
        `first-bad-seq=${i.brokenAt.seq}`,
        `problem=${i.brokenAt.problem}`,
        `detected-at=${i.detectedAt.toISOString()}`,
        ...(i.acknowledgement ? [`acknowledged-at=${i.acknowledgement.at.toISOString()}`] : []),
      ]
    : [
        "verified",
        `through-seq=${headSeq}`,
        `full-through-seq=${i.fullVerification.throughSeq}`,
        `full-at=${i.fullVerification.at.toISOString()}`,
      ];
  return parts.join("; ");
}

/**
 * The CSV's first line when the chain is broken. Without commas or quotes, so a spreadsheet shows it
 * whole in the first cell; a script that expects the column header on line 1 stops instead of
 * loading forged rows as fact (skip it with `tail -n +2` or pandas `comment="#"`).
 */
export function csvBrokenLine(i: Extract<ReportIntegrity, { status: "broken" }>): string {
  const b = i.brokenAt;
  return (
    `# LEDGER BROKEN at entry seq ${b.seq} (${b.problem}) found ${i.detectedAt.toISOString()}: the hash chain does not prove this ledger unaltered ` +
    `and rows resting on entries from seq ${b.seq} on may be false. See the X-Skjold-Ledger-Integrity header or the JSON/PDF report.`
  );
}

/** The JSON report's top-level `integrity` object. */
export function integrityRecord(i: ReportIntegrity, headSeq: string) {
  const statement = integrityStatement(i, headSeq);
  if (isBroken(i)) {
    return {
      status: i.status,
      statement,
      firstBadSeq: i.brokenAt.seq,
      brokenAt: { ...i.brokenAt, description: PROBLEM_DESCRIPTIONS[i.brokenAt.problem] },
      detectedAt: i.detectedAt,
      verificationId: i.verificationId,
      acknowledgement: i.acknowledgement,
    };
  }
  return {
    status: i.status,
    statement,
    verifiedThroughSeq: headSeq,
    fullVerification: i.fullVerification,
    lastVerifiedAt: i.verifiedThrough.at,
  };
}
