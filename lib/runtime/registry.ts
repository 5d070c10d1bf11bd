import { createJobRegistry } from "../jobs/job-registry";
import type { ScheduledTask } from "../jobs/schedules";
import { databaseStatisticsTask } from "./database-statistics-task";
import { provisionClusterJob } from "../clusters/provision/provision-cluster-job";
import { verifyClusterJob } from "../clusters/verify/verify-cluster-job";
import { judgeHostOutage } from "../hosts/judge-host-outage";
import { recordStepHostFailure } from "../hosts/record-host-failure";
import { recordHostReached } from "../hosts/record-host-reached";
import { hostHealthTask, reconcileAllHostsTask } from "../hosts/tasks";
import { latencyScheduledTasks } from "../latency/scheduled-tasks";
import { ledgerVerificationTask } from "../residency/run-verification";
import { deleteVmJob } from "../vms/delete/delete-vm-job";
import { addHostBackEvent, addHostWaitingEvent } from "../vms/shared/host-outage-events";
import { powerVmJob } from "../vms/power/power-vm-job";
import { resizeVmJob } from "../vms/resize/resize-vm-job";
import { backupVmJob } from "../vms/backup/backup-vm-job";
import { deleteBackupJob } from "../vms/backup/delete-backup-job";
import { restoreVmJob } from "../vms/backup/restore-vm-job";
import { finishRollbacksTask } from "../vms/provision/finish-rollbacks-task";
import { provisionVmJob, provisionVmJobV1, provisionVmJobV2 } from "../vms/provision/provision-vm-job";
import { verifyVmJob } from "../vms/verify/verify-vm-job";
import { personaliseVmJob, personaliseVmJobV1 } from "../vms/warm/personalise-vm-job";
import { refillWarmPoolsTask } from "../vms/warm/refill-task";
import { firewallVmJob } from "../vms/firewall/firewall-vm-job";
import { privateNicJob } from "../vms/private/private-nic-job";
import { convergePrivateNetworksTask } from "../vms/private/converge-private-networks";
import { warmVmJob, warmVmJobV1 } from "../vms/warm/warm-vm-job";

// The application's jobs and schedules: what `scripts/worker.ts` (and an inline worker) runs. It
// lives here, above every domain, so lib/jobs (the engine) never imports the jobs it runs.
// To add a job: define it next to its domain (e.g. lib/vms/power/power-vm-job.ts, with `defineJob`)
// and list it below. Keep an old version registered while jobs enqueued with it may still run.

export const jobRegistry = createJobRegistry(
  provisionVmJob,
  provisionVmJobV2,
  provisionVmJobV1,
  powerVmJob,
  resizeVmJob,
  backupVmJob,
  restoreVmJob,
  deleteBackupJob,
  deleteVmJob,
  verifyVmJob,
  warmVmJob,
  firewallVmJob,
  privateNicJob,
  warmVmJobV1,
  personaliseVmJob,
  personaliseVmJobV1,
  provisionClusterJob,
  verifyClusterJob,
)
  // Any step or compensation that cannot reach its host (refused, timed out, another host key) marks
  // the host at once, so placement stops choosing it without waiting for the next health check.
  .onStepFailure(({ prisma, error }) => recordStepHostFailure({ prisma, error }))
  // A host that cannot be reached for now (restarting, sshd reloading) is waited for, up to the
  // admin's limit, without spending the job's attempts; a changed host key still stops at once.
  .waitOutOutages({
    judge: ({ prisma, error }) => judgeHostOutage({ prisma, error }),
    waiting: async ({ prisma, job, outage }) => {
      if (job.vmId) await addHostWaitingEvent({ prisma, vmId: job.vmId, outage });
    },
    resumed: async ({ prisma, job, waitedFor }) => {
      await recordHostReached({ prisma, hostId: waitedFor });
      if (job.vmId) await addHostBackEvent({ prisma, vmId: job.vmId, hostId: waitedFor });
    },
  });

// Cluster-wide schedules: every worker (and the portal's inline worker) ticks them; one replica
// wins each interval (lib/jobs/schedules.ts).
const scheduledTasks: readonly ScheduledTask[] = [
  ...latencyScheduledTasks(),
  hostHealthTask,
  reconcileAllHostsTask,
  convergePrivateNetworksTask,
  finishRollbacksTask,
  ledgerVerificationTask,
  databaseStatisticsTask,
  refillWarmPoolsTask,
];

export function listSchedules(): readonly ScheduledTask[] {
  return scheduledTasks;
}
