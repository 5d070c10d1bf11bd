import { AppError } from "../core/errors";
import type { JobState } from "../generated/prisma/enums";
import { NOW, type DbClient } from "./db";

// A cancel is recorded at once and acted on by whoever holds the job: a queued job with nothing done
// ends immediately; otherwise the job becomes CANCELLED with finishedAt unset, the worker running it
// notices (at its next checkpoint or lease renewal, and through ctx.signal), undoes the steps that
// succeeded, and sets finishedAt. A queued job with work to undo is claimed for its rollback.

export interface CancelJobOptions {
  prisma: DbClient;
  jobId: string;
  reason?: string;
}

export async function cancelJob(opts: CancelJobOptions): Promise<{ state: JobState; rollingBack: boolean }> {
  const reason = opts.reason ?? "Cancelled";
  const rows = await opts.prisma.$queryRaw<{ finished: boolean }[]>`
    UPDATE "Job" AS j SET state = 'CANCELLED', "lastError" = ${reason},
      "finishedAt" = CASE WHEN j.state = 'QUEUED' AND NOT EXISTS (
        SELECT 1 FROM "JobStep" s WHERE s."jobId" = j.id AND s.state = 'SUCCEEDED') THEN ${NOW} END,
      "lockedUntil" = CASE WHEN j.state = 'QUEUED' THEN NULL ELSE j."lockedUntil" END
    WHERE j.id = ${opts.jobId}::uuid AND j.state IN ('QUEUED', 'RUNNING')
    RETURNING j."finishedAt" IS NOT NULL AS finished`;
  const row = rows[0];
  if (!row) {
    const job = await opts.prisma.job.findUnique({ where: { id: opts.jobId }, select: { state: true, finishedAt: true } });
    if (!job) throw new AppError("NOT_FOUND", "Job not found", { key: "error.job.notFound" });
    if (job.state === "CANCELLED") return { state: job.state, rollingBack: job.finishedAt === null };
    throw new AppError("CONFLICT", `The job has already ended (${job.state.toLowerCase().replace("_", " ")})`, {
      key: "error.job.alreadyEnded",
      params: { jobState: job.state },
    });
  }
  return { state: "CANCELLED", rollingBack: !row.finished };
}
