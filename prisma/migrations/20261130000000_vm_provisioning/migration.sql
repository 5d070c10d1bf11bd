-- Provisioning: the per-VM management key Skjold logs in with, and one forwarded SSH port per VM per host.
-- AlterTable
ALTER TABLE "VirtualMachine" ADD COLUMN     "mgmtKeyEnc" TEXT,
ADD COLUMN     "mgmtPublicKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "VirtualMachine_hostId_sshPort_key" ON "VirtualMachine"("hostId", "sshPort");
