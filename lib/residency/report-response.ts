import { randomUUID } from "node:crypto";
import type { RequestMeta } from "../access/principal";
import { AppError } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { recordAudit, type AuditInput } from "../audit/record-audit";
import { exportResidencyReport } from "./export";
import type { ReportQuery } from "./report-query";

// A report as an HTTP response. The SHA-256 of the bytes is known only once the last byte is out, and
// HTTP trailers rarely reach a browser or a script. So each export gets an id (X-Skjold-Report-Id),
// and before the response body ends, an audit event `residency.report.export` records that id with
// the digest, size and ledger head of exactly the bytes delivered. A client that has read the whole
// body can then fetch …/residency/reports/{id} and compare. Recomputing the digest in a second run
// cannot work: generatedAt (and the PDF's creation date) differ per run.

const EXPORT_ACTION = "residency.report.export";
type Actor = Pick<AuditInput, "actorLabel" | "actorUserId" | "actorTokenId">;

export interface ReportExportRecord {
  reportId: string;
  format: string;
  filename: string;
  scope: "team" | "platform";
  asOf: string | null;
  since: string | null;
  ledgerHead: { seq: string; hash: string };
  /** The X-Skjold-Ledger-Integrity the export was sent with (absent on exports made before it existed). */
  integrity?: string;
  contentSha256: string;
  bytes: number;
  exportedBy: string;
  completedAt: string;
}

export async function createReportResponse(opts: {
  prisma: PrismaClient;
  query: ReportQuery;
  team?: { id: string; slug: string };
  actor: Actor;
  meta?: RequestMeta;
  /** Tests: behave as on a ledger of more entries than a report recomputes itself. */
  fullVerifyInlineMax?: number;
}): Promise<Response> {
  const { prisma, query, team, actor, fullVerifyInlineMax } = opts;
  const reportId = randomUUID();
  const report = await exportResidencyReport({
    prisma,
    format: query.format,
    asOf: query.asOf,
    since: query.since,
    teamId: team?.id,
    generatedBy: actor.actorLabel,
    fullVerifyInlineMax,
  });
  const chunks = report.stream[Symbol.asyncIterator]();
  let bytes = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (!next.done) {
            const chunk = typeof next.value === "string" ? Buffer.from(next.value) : (next.value as Buffer);
            bytes += chunk.length;
            controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
            return;
          }
          const details = {
            reportId,
            format: report.format,
            filename: report.filename,
            scope: team ? "team" : "platform",
            asOf: query.asOf?.toISOString() ?? null,
            since: query.since?.toISOString() ?? null,
            ledgerHead: report.ledgerHead,
            integrity: report.integrity,
            contentSha256: await report.contentDigest,
            bytes,
          };
          await recordAudit({
            prisma,
            action: EXPORT_ACTION,
            ...actor,
            teamId: team?.id ?? null,
            targetType: "residency-report",
            targetId: reportId,
            details,
            meta: opts.meta,
          });
          controller.close();
        } catch (err) {
          console.error(`[skjold] residency report ${reportId} failed while streaming:`, err instanceof Error ? err.message : String(err));
          controller.error(err);
        }
      },
      cancel() {
        report.stream.destroy();
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, {
    headers: {
      "content-type": report.contentType,
      "content-disposition": `attachment; filename="${report.filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "x-skjold-ledger-head": `${report.ledgerHead.seq}:${report.ledgerHead.hash}`,
      "x-skjold-ledger-integrity": report.integrity,
      "x-skjold-report-id": reportId,
    },
  });
}

const ReportIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The record of one completed export: of this team's reports, or (teamId null) of platform reports. */
export async function findReportExport(opts: {
  prisma: PrismaClient;
  reportId: string;
  teamId: string | null;
}): Promise<ReportExportRecord> {
  const id = opts.reportId.toLowerCase();
  const row = ReportIdPattern.test(id)
    ? await opts.prisma.auditEvent.findFirst({ where: { action: EXPORT_ACTION, targetId: id, teamId: opts.teamId } })
    : null;
  if (!row)
    throw new AppError("NOT_FOUND", "No completed report export with this id. An export is recorded when its last byte has been sent.", {
      key: "error.residency.noExport",
    });
  return toExportRecord(row);
}

/** The latest completed exports, newest first, for the pages. */
export async function listReportExports(opts: {
  prisma: PrismaClient;
  teamId: string | null;
  take?: number;
}): Promise<ReportExportRecord[]> {
  const rows = await opts.prisma.auditEvent.findMany({
    where: { action: EXPORT_ACTION, teamId: opts.teamId },
    orderBy: { at: "desc" },
    take: opts.take ?? 10,
  });
  return rows.map(toExportRecord);
}

function toExportRecord(row: { at: Date; actorLabel: string; details: unknown }): ReportExportRecord {
  const d = row.details as Omit<ReportExportRecord, "exportedBy" | "completedAt">;
  return { ...d, exportedBy: row.actorLabel, completedAt: row.at.toISOString() };
}
