-- Backups that never leave the team's jurisdiction (issue 16): backup targets (a host's storage
-- pool, in that host's region) and backups of a VM's disk, full then incremental, chained by parent.
-- CreateEnum
CREATE TYPE "BackupKind" AS ENUM ('FULL', 'INCREMENTAL');

-- CreateEnum
CREATE TYPE "BackupState" AS ENUM ('PENDING', 'RUNNING', 'GOOD', 'FAILED', 'DELETING', 'DELETED');

-- CreateTable
CREATE TABLE "BackupTarget" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "poolId" UUID NOT NULL,
    "regionId" UUID NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BackupTarget_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Backup" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vmId" UUID NOT NULL,
    "teamId" UUID NOT NULL,
    "targetId" UUID NOT NULL,
    "parentId" UUID,
    "kind" "BackupKind" NOT NULL,
    "state" "BackupState" NOT NULL DEFAULT 'PENDING',
    "checkpoint" TEXT NOT NULL,
    "volume" TEXT NOT NULL,
    "path" TEXT,
    "sizeBytes" BIGINT,
    "bytesMoved" BIGINT,
    "sha256" TEXT,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "Backup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BackupTarget_name_key" ON "BackupTarget"("name");

-- CreateIndex
CREATE INDEX "Backup_vmId_createdAt_idx" ON "Backup"("vmId", "createdAt");

-- CreateIndex
CREATE INDEX "Backup_teamId_state_idx" ON "Backup"("teamId", "state");

-- CreateIndex
CREATE INDEX "Backup_targetId_idx" ON "Backup"("targetId");

-- AddForeignKey
ALTER TABLE "BackupTarget" ADD CONSTRAINT "BackupTarget_poolId_fkey" FOREIGN KEY ("poolId") REFERENCES "StoragePool"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BackupTarget" ADD CONSTRAINT "BackupTarget_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Backup" ADD CONSTRAINT "Backup_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "VirtualMachine"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Backup" ADD CONSTRAINT "Backup_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Backup" ADD CONSTRAINT "Backup_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "BackupTarget"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Backup" ADD CONSTRAINT "Backup_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Backup"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
