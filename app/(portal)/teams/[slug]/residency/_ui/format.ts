/** Times on residency pages: UTC, to the minute, the way the reports state them. */
export function utc(d: Date | string): string {
  const iso = typeof d === "string" ? d : d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The download URL of a report in one format, for now or the chosen date. */
export function reportHref(base: string, format: "csv" | "json" | "pdf", asOf?: string): string {
  const q = new URLSearchParams({ format });
  if (asOf) q.set("asOf", asOf);
  return `${base}/report?${q}`;
}

/** A long hash shown short but findable: the whole value is in the title and in the copyable text. */
export function shortHash(hex: string): string {
  return `${hex.slice(0, 12)}…${hex.slice(-6)}`;
}
