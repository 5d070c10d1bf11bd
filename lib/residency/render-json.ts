import type { ReportContext } from "./context";
import { intervalRecord, NO_TRANSFERS, reportHeader } from "./facts";
import { createTotalsAccumulator } from "./totals";

/**
 * The report as JSON text, produced piece by piece: header, locations at the as-of date, history
 * grouped by resource, totals (accumulated from the history), transfers outside the EEA.
 */
export async function* renderReportJson(ctx: ReportContext): AsyncGenerator<string> {
  const header = JSON.stringify(reportHeader(ctx));
  yield `${header.slice(0, -1)},"locations":[`;
  let first = true;
  for await (const i of ctx.intervals({ onlyOpen: true })) {
    yield (first ? "" : ",") + JSON.stringify(intervalRecord(i));
    first = false;
  }
  yield `],"history":[`;
  first = true;
  const totals = createTotalsAccumulator();
  for await (const i of ctx.intervals({ order: "resource" })) {
    totals.add(i);
    yield (first ? "" : ",") + JSON.stringify(intervalRecord(i));
    first = false;
  }
  yield `],"totals":${JSON.stringify(totals.result())},"transfersOutsideEea":{"entries":[`;
  let count = 0;
  for await (const i of ctx.intervals({ outsideEeaOnly: true })) {
    yield (count ? "," : "") + JSON.stringify(intervalRecord(i));
    count++;
  }
  yield `],"count":${count},"statement":${JSON.stringify(count ? `${count} location(s) outside the EEA, listed above.` : NO_TRANSFERS)}}}`;
}
