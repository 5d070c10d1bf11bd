import type { ReportContext } from "./context";
import { intervalRecord, type IntervalRecord } from "./facts";
import { csvBrokenLine, isBroken } from "./integrity-facts";

// RFC 4180 CSV, one row per stay of a resource in a location over the reported period, in ledger
// order. Report metadata (scope, as-of, ledger head, digests) travels in the JSON/PDF and alongside
// the download, so the file stays a plain table any tool can load, except when the ledger is broken:
// then a first line says so before the header (csvBrokenLine).

const COLUMNS: (keyof IntervalRecord)[] = [
  "seq",
  "team",
  "resourceKind",
  "resourceId",
  "resourceName",
  "host",
  "pool",
  "path",
  "region",
  "country",
  "jurisdiction",
  "outsideEea",
  "from",
  "until",
];

function csvField(value: unknown): string {
  let s = value === null || value === undefined ? "" : String(value);
  // A cell starting with = + - @ would run as a formula in a spreadsheet.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export async function* renderReportCsv(ctx: ReportContext): AsyncGenerator<string> {
  if (isBroken(ctx.integrity)) yield `${csvBrokenLine(ctx.integrity)}\r\n`;
  yield `${[...COLUMNS, "statusAtAsOf"].join(",")}\r\n`;
  let lines: string[] = [];
  for await (const i of ctx.intervals()) {
    const r = intervalRecord(i);
    lines.push([...COLUMNS.map((c) => csvField(r[c])), r.until ? "CLOSED" : "OPEN"].join(","));
    if (lines.length >= 500) {
      yield `${lines.join("\r\n")}\r\n`;
      lines = [];
    }
  }
  if (lines.length) yield `${lines.join("\r\n")}\r\n`;
}
