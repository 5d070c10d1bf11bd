-- Short host outages do not fail jobs: a job that cannot reach its host waits (without spending its
-- attempts) from `waitingSince`, up to an admin's limit. A rollback that could not reach the host
-- records what it left there, and the VM is cleaned up when the host answers again. Events keep their
-- values beside the English text so pages can word them in the reader's language.
-- AlterTable
ALTER TABLE "Job" ADD COLUMN "waitingFor" TEXT,
ADD COLUMN "waitingSince" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "VirtualMachine" ADD COLUMN "leftovers" JSONB,
ADD COLUMN "leftoversRemovedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "VmEvent" ADD COLUMN "data" JSONB;
