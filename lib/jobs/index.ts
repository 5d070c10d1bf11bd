// The durable job engine: see docs/jobs.md.
export { watchJob, type JobSnapshot } from "./watch";
export type { DbClient } from "./db";
