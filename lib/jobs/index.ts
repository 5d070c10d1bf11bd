// The durable job engine: see docs/jobs.md.
export { defineJob, DEFAULT_RETRY } from "./define";
export type { Json, JobDefinition, StepDefinition, StepContext, CompensationContext, RetryPolicy } from "./define";
export { createJobRegistry, type JobRegistry } from "./job-registry";
export { LeaseLostError, isTransientError } from "./errors";
export { computeBackoffMs } from "./backoff";
export { enqueueJob, type EnqueueJobOptions, type EnqueuedJob } from "./enqueue";
export { cancelJob, type CancelJobOptions } from "./cancel";
export { claimJobs, type ClaimedJob } from "./lease";
export { runJob, type JobOutcome, type RunJobOptions } from "./run-job";
export { startWorker, defaultWorkerId, type StartWorkerOptions, type WorkerHandle } from "./worker";
export { watchJob, getJobSnapshot, type JobSnapshot, type JobStepSnapshot, type WatchJobOptions } from "./watch";
export { runSchedules, type ScheduledTask, type ScheduledTaskContext, type RunSchedulesOptions } from "./schedules";
export type { DbClient } from "./db";
