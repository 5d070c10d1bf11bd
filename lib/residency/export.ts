import { createHash } from "node:crypto";
import { Readable, Transform } from "node:stream";
import { z } from "zod";
import { fromZod } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { prepareResidencyReport, ReportRequestSchema, type ReportRequest } from "./context";
import { integrityHeader, isBroken } from "./integrity-facts";
import { renderReportCsv } from "./render-csv";
import { renderReportJson } from "./render-json";
import { renderReportPdf } from "./render-pdf";

export const ReportFormatSchema = z.enum(["csv", "json", "pdf"]);
export type ReportFormat = z.infer<typeof ReportFormatSchema>;

const CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
  pdf: "application/pdf",
};

export interface ResidencyExport {
  format: ReportFormat;
  contentType: string;
  filename: string;
  /** The ledger state the report was built from: its head seq and hash (a SHA-256 over the whole chain). */
  ledgerHead: { seq: string; hash: string };
  /** The X-Skjold-Ledger-Integrity value: "verified; …" or "broken; first-bad-seq=…; …". */
  integrity: string;
  stream: Readable;
  /** SHA-256 (hex) of the bytes the stream delivered; resolves when the stream ends. */
  contentDigest: Promise<string>;
}

function digesting(onDigest?: (hex: string) => void) {
  const hash = createHash("sha256");
  let settle!: (hex: string) => void;
  let fail!: (err: Error) => void;
  const contentDigest = new Promise<string>((resolve, reject) => ((settle = resolve), (fail = reject)));
  contentDigest.catch(() => undefined); // a caller that ignores the digest must not see an unhandled rejection
  const transform = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      const hex = hash.digest("hex");
      settle(hex);
      onDigest?.(hex);
      done();
    },
  });
  return { transform, contentDigest, fail };
}

/**
 * Exports a residency report (one team, or the whole platform without teamId) for now or a past
 * date, streamed: rows are read from the database in batches while the consumer reads the stream.
 */
export async function exportResidencyReport(
  opts: {
    prisma: PrismaClient;
    format: ReportFormat;
    onDigest?: (contentSha256: string) => void;
    fullVerifyInlineMax?: number;
  } & ReportRequest,
): Promise<ResidencyExport> {
  const { prisma, format: rawFormat, onDigest, fullVerifyInlineMax, ...request } = opts;
  const format = ReportFormatSchema.safeParse(rawFormat);
  if (!format.success) throw fromZod(format.error, "Invalid report format");
  const parsed = ReportRequestSchema.safeParse(request);
  if (!parsed.success) throw fromZod(parsed.error, "Invalid report request");
  const ctx = await prepareResidencyReport({ prisma, fullVerifyInlineMax, ...parsed.data });
  const source =
    format.data === "pdf"
      ? renderReportPdf(ctx)
      : Readable.from(format.data === "csv" ? renderReportCsv(ctx) : renderReportJson(ctx), { objectMode: false });
  const { transform, contentDigest, fail } = digesting(onDigest);
  source.on("error", (err) => {
    fail(err);
    transform.destroy(err);
  });
  const who = ctx.team ? ctx.team.slug : "platform";
  const day = ctx.asOf.toISOString().slice(0, 10);
  return {
    format: format.data,
    contentType: CONTENT_TYPES[format.data],
    filename: `skjold-residency-${who}-${day}-seq${ctx.ledgerHead.seq}${isBroken(ctx.integrity) ? "-LEDGER-BROKEN" : ""}.${format.data}`,
    ledgerHead: ctx.ledgerHead,
    integrity: integrityHeader(ctx.integrity, ctx.ledgerHead.seq),
    stream: source.pipe(transform),
    contentDigest,
  };
}
