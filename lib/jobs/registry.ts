import type { JobDefinition } from "./define";
import { createJobRegistry } from "./job-registry";
import type { ScheduledTask } from "./schedules";
import { provisionClusterJob } from "../clusters/jobs/provision-cluster";
import { verifyClusterJob } from "../clusters/jobs/verify-cluster";
import { hostHealthTask, reconcileAllHostsTask } from "../hosts/tasks";
import { latencyScheduledTasks } from "../latency/scheduled-tasks";
import { deleteVmJob } from "../provisioning/jobs/delete-vm";
import { powerVmJob } from "../provisioning/jobs/power-vm";
import { provisionVmJob } from "../provisioning/jobs/provision-vm";
import { verifyVmJob } from "../provisioning/jobs/verify-vm";
import { ledgerVerificationTask } from "../residency/run-verification";

// The application's jobs and schedules: what `scripts/worker.ts` (and an inline worker) runs.
// To add a job: define it next to its domain (lib/<domain>/jobs/<name>.ts, with `defineJob`) and
// register it here. Keep an old version registered while jobs enqueued with it may still run.
//
//   import { provisionVmJob } from "../provisioning/jobs/provision-vm";
//   registerJob(provisionVmJob);

export const jobRegistry = createJobRegistry(provisionVmJob, powerVmJob, deleteVmJob, verifyVmJob, provisionClusterJob, verifyClusterJob);

/** Adds job definitions to the application registry (idempotent for the same definition object). */
export function registerJob(...definitions: JobDefinition<any, any>[]): void {
  jobRegistry.register(...definitions);
}

// Cluster-wide schedules: every worker (and the portal's inline worker) ticks them; one replica
// wins each interval (lib/jobs/schedules.ts).
const scheduledTasks: ScheduledTask[] = [...latencyScheduledTasks(), hostHealthTask, reconcileAllHostsTask, ledgerVerificationTask];

/** Adds a cluster-wide schedule run by every worker (one replica wins each interval). */
export function registerSchedule(task: ScheduledTask): void {
  if (scheduledTasks.some((t) => t.name === task.name)) throw new Error(`schedule ${task.name} is registered twice`);
  scheduledTasks.push(task);
}

export function listSchedules(): readonly ScheduledTask[] {
  return scheduledTasks;
}
