// What the job engine stores about a failure around the step's own refusal (lib/jobs, the VM's
// rollback): read back by jobErrorText, which words the refusal inside by its own template.
export const jobs = {
  "jobError.gaveUp": "{error} (gave up after {attempts} attempts)",
  "jobError.waitedOut": "{error} (waited {waited} for {subject} to answer again; the limit is {limit})",
  "jobError.rollbackIncomplete": "{cause}; rollback incomplete: {unfinished}",
  "jobError.rollbackFailed": "rollback failed: {error}",
  "jobError.atStep": "{step}: {error}",
  "jobError.unexpected": "Unexpected error; quote this id to your operator: {id}",
  "jobError.cancelled": "Cancelled",
  "jobError.cancelledWhileRunning": "cancelled while running",
  "jobError.workerStopped": "the job's worker stopped",
  "jobError.workersStopped": "its workers stopped before any step reported an error",
  "jobError.hours": "{n} h",
} as const;
