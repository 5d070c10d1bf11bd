-- CreateEnum
CREATE TYPE "Role" AS ENUM ('OWNER', 'MEMBER', 'VIEWER', 'AUDITOR');
CREATE TYPE "ResidencyPolicy" AS ENUM ('NORWAY_ONLY', 'EEA', 'EU');
CREATE TYPE "Jurisdiction" AS ENUM ('NO_EEA', 'EU', 'EEA_OTHER', 'THIRD_COUNTRY');
CREATE TYPE "HostStatus" AS ENUM ('PENDING_KEY', 'ONLINE', 'OFFLINE', 'ERROR', 'KEY_MISMATCH');
CREATE TYPE "Accelerator" AS ENUM ('UNKNOWN', 'KVM', 'TCG');
CREATE TYPE "NetworkMode" AS ENUM ('USER_FORWARD', 'BRIDGED');
CREATE TYPE "VmState" AS ENUM ('PENDING', 'PROVISIONING', 'RUNNING', 'STOPPED', 'FAILED', 'DELETING', 'DELETED');
CREATE TYPE "ClusterState" AS ENUM ('PENDING', 'PROVISIONING', 'READY', 'FAILED', 'DELETING', 'DELETED');
CREATE TYPE "K3sInstallMode" AS ENUM ('AIRGAP', 'ONLINE');
CREATE TYPE "JobState" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'CANCELLED');
CREATE TYPE "StepState" AS ENUM ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'COMPENSATED');
CREATE TYPE "ResourceKind" AS ENUM ('VM_DISK', 'VM_SEED', 'KUBECONFIG', 'SECRET', 'BACKUP', 'SNAPSHOT', 'PORTAL_DATABASE');
CREATE TYPE "LedgerAction" AS ENUM ('OPEN', 'CLOSE');
CREATE TYPE "ProbeMethod" AS ENUM ('ICMP', 'TCP');

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "isAdmin" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT NOT NULL DEFAULT 'en',
    "totpSecretEnc" TEXT,
    "totpEnabled" BOOLEAN NOT NULL DEFAULT false,
    "disabledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Team" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "residencyPolicy" "ResidencyPolicy" NOT NULL DEFAULT 'EEA',
    "maxVms" INTEGER NOT NULL DEFAULT 10,
    "maxVcpus" INTEGER NOT NULL DEFAULT 32,
    "maxMemoryMb" INTEGER NOT NULL DEFAULT 65536,
    "maxDiskGb" INTEGER NOT NULL DEFAULT 1000,
    "controllerName" TEXT,
    "controllerContact" TEXT,
    "processingPurpose" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Membership" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "userId" UUID NOT NULL,
    "teamId" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Invitation" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "teamId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "invitedById" UUID,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "acceptedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Session" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tokenHash" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "ip" TEXT,
    "userAgent" TEXT,
    "mfaVerified" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ApiToken" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "teamId" UUID NOT NULL,
    "createdById" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "lastUsedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "RateLimit" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL,
    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("key")
);

CREATE TABLE "SshKey" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "userId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "keyType" TEXT NOT NULL,
    "bits" INTEGER,
    "fingerprint" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SshKey_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Region" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "jurisdiction" "Jurisdiction" NOT NULL,
    "datacenter" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Region_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Host" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "regionId" UUID NOT NULL,
    "address" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 22,
    "username" TEXT NOT NULL,
    "privateKeyEnc" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "hostKeyAlgorithm" TEXT,
    "hostKeyFingerprint" TEXT,
    "hostKeyPinnedAt" TIMESTAMP(3),
    "presentedFingerprint" TEXT,
    "status" "HostStatus" NOT NULL DEFAULT 'PENDING_KEY',
    "accelerator" "Accelerator" NOT NULL DEFAULT 'UNKNOWN',
    "networkMode" "NetworkMode" NOT NULL DEFAULT 'USER_FORWARD',
    "bridge" TEXT,
    "libvirtVersion" TEXT,
    "qemuVersion" TEXT,
    "cpuCount" INTEGER,
    "cpuModel" TEXT,
    "memoryMb" INTEGER,
    "vcpuOvercommit" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "forwardPortStart" INTEGER NOT NULL DEFAULT 22200,
    "forwardPortEnd" INTEGER NOT NULL DEFAULT 22999,
    "draining" BOOLEAN NOT NULL DEFAULT false,
    "lastSeenAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Host_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "StoragePool" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "hostId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "capacityBytes" BIGINT NOT NULL,
    "availableBytes" BIGINT NOT NULL,
    "isNvme" BOOLEAN NOT NULL DEFAULT false,
    "mediaNote" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "StoragePool_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Image" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "os" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "adminUser" TEXT NOT NULL DEFAULT 'skjold',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Image_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ImageCopy" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "imageId" UUID NOT NULL,
    "hostId" UUID NOT NULL,
    "poolId" UUID NOT NULL,
    "volume" TEXT NOT NULL,
    "format" TEXT NOT NULL DEFAULT 'qcow2',
    "checksumSha256" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "kernelPath" TEXT,
    "initrdPath" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ImageCopy_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Plan" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "vcpus" INTEGER NOT NULL,
    "memoryMb" INTEGER NOT NULL,
    "diskGb" INTEGER NOT NULL,
    "priceNokMonthly" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Plan_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "IpPool" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "regionId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "cidr" TEXT NOT NULL,
    "gateway" TEXT NOT NULL,
    "dns" TEXT,
    CONSTRAINT "IpPool_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "IpLease" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "poolId" UUID NOT NULL,
    "address" TEXT NOT NULL,
    "vmId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "IpLease_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "VirtualMachine" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "teamId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "regionId" UUID NOT NULL,
    "planId" UUID NOT NULL,
    "imageId" UUID NOT NULL,
    "sshKeyId" UUID,
    "hostId" UUID,
    "poolId" UUID,
    "clusterId" UUID,
    "clusterRole" TEXT,
    "state" "VmState" NOT NULL DEFAULT 'PENDING',
    "vcpus" INTEGER NOT NULL,
    "memoryMb" INTEGER NOT NULL,
    "diskGb" INTEGER NOT NULL,
    "domainName" TEXT NOT NULL,
    "diskVolume" TEXT,
    "seedVolume" TEXT,
    "adminUser" TEXT NOT NULL DEFAULT 'skjold',
    "sshHost" TEXT,
    "sshPort" INTEGER,
    "ipAddress" TEXT,
    "guestHostKey" TEXT,
    "guestHostKeyFingerprint" TEXT,
    "placementNote" TEXT,
    "lastError" TEXT,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readyAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "VirtualMachine_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "VmEvent" (
    "id" BIGSERIAL NOT NULL,
    "vmId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    CONSTRAINT "VmEvent_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Cluster" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "teamId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "regionId" UUID NOT NULL,
    "state" "ClusterState" NOT NULL DEFAULT 'PENDING',
    "k3sVersion" TEXT NOT NULL,
    "installMode" "K3sInstallMode" NOT NULL DEFAULT 'AIRGAP',
    "agentCount" INTEGER NOT NULL DEFAULT 0,
    "kubeconfigEnc" TEXT,
    "apiEndpoint" TEXT,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readyAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),
    CONSTRAINT "Cluster_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "HardeningReport" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "vmId" UUID,
    "clusterId" UUID,
    "scope" TEXT NOT NULL,
    "passed" INTEGER NOT NULL,
    "failed" INTEGER NOT NULL,
    "notApplicable" INTEGER NOT NULL,
    "controls" JSONB NOT NULL,
    "driftFrom" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "HardeningReport_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Job" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "payload" JSONB NOT NULL,
    "state" "JobState" NOT NULL DEFAULT 'QUEUED',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 5,
    "runAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedBy" TEXT,
    "lockedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "dedupeKey" TEXT,
    "teamId" UUID,
    "vmId" UUID,
    "clusterId" UUID,
    "hostId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "JobStep" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "jobId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "state" "StepState" NOT NULL DEFAULT 'PENDING',
    "output" JSONB,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    CONSTRAINT "JobStep_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Schedule" (
    "name" TEXT NOT NULL,
    "intervalSec" INTEGER NOT NULL,
    "nextRunAt" TIMESTAMP(3) NOT NULL,
    "lastRunAt" TIMESTAMP(3),
    "lastRunBy" TEXT,
    "lockedUntil" TIMESTAMP(3),
    "runs" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Schedule_pkey" PRIMARY KEY ("name")
);

CREATE TABLE "DataLocation" (
    "seq" BIGSERIAL NOT NULL,
    "teamId" UUID,
    "teamSlug" TEXT,
    "resourceKind" "ResourceKind" NOT NULL,
    "resourceId" TEXT NOT NULL,
    "resourceName" TEXT NOT NULL,
    "action" "LedgerAction" NOT NULL,
    "hostName" TEXT,
    "poolName" TEXT,
    "path" TEXT,
    "regionCode" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "jurisdiction" "Jurisdiction" NOT NULL,
    "effectiveAt" TIMESTAMP(3) NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    CONSTRAINT "DataLocation_pkey" PRIMARY KEY ("seq")
);

CREATE TABLE "LatencyTarget" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "exchange" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "port" INTEGER,
    "icmp" BOOLEAN NOT NULL DEFAULT true,
    "tcp" BOOLEAN NOT NULL DEFAULT false,
    "count" INTEGER NOT NULL DEFAULT 5,
    "intervalSec" INTEGER NOT NULL DEFAULT 300,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LatencyTarget_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "LatencySample" (
    "id" BIGSERIAL NOT NULL,
    "hostId" UUID NOT NULL,
    "regionId" UUID NOT NULL,
    "targetId" UUID NOT NULL,
    "method" "ProbeMethod" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent" INTEGER NOT NULL,
    "received" INTEGER NOT NULL,
    "rttsMs" DOUBLE PRECISION[],
    "medianMs" DOUBLE PRECISION,
    "error" TEXT,
    CONSTRAINT "LatencySample_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "LatencyRollup" (
    "id" BIGSERIAL NOT NULL,
    "hostId" UUID NOT NULL,
    "regionId" UUID NOT NULL,
    "targetId" UUID NOT NULL,
    "method" "ProbeMethod" NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "sent" INTEGER NOT NULL,
    "received" INTEGER NOT NULL,
    "medianMs" DOUBLE PRECISION,
    "p95Ms" DOUBLE PRECISION,
    "jitterMs" DOUBLE PRECISION,
    CONSTRAINT "LatencyRollup_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorUserId" UUID,
    "actorTokenId" UUID,
    "actorLabel" TEXT NOT NULL,
    "teamId" UUID,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "ip" TEXT,
    "userAgent" TEXT,
    "details" JSONB,
    "correlationId" TEXT,
    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE UNIQUE INDEX "Team_slug_key" ON "Team"("slug");
CREATE INDEX "Membership_teamId_idx" ON "Membership"("teamId");
CREATE UNIQUE INDEX "Membership_userId_teamId_key" ON "Membership"("userId", "teamId");
CREATE UNIQUE INDEX "Invitation_tokenHash_key" ON "Invitation"("tokenHash");
CREATE INDEX "Invitation_teamId_idx" ON "Invitation"("teamId");
CREATE INDEX "Invitation_email_idx" ON "Invitation"("email");
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");
CREATE INDEX "Session_userId_idx" ON "Session"("userId");
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");
CREATE UNIQUE INDEX "ApiToken_teamId_name_key" ON "ApiToken"("teamId", "name");
CREATE UNIQUE INDEX "SshKey_userId_name_key" ON "SshKey"("userId", "name");
CREATE UNIQUE INDEX "SshKey_userId_fingerprint_key" ON "SshKey"("userId", "fingerprint");
CREATE UNIQUE INDEX "Region_code_key" ON "Region"("code");
CREATE UNIQUE INDEX "Host_name_key" ON "Host"("name");
CREATE INDEX "Host_regionId_idx" ON "Host"("regionId");
CREATE UNIQUE INDEX "StoragePool_hostId_name_key" ON "StoragePool"("hostId", "name");
CREATE UNIQUE INDEX "Image_slug_key" ON "Image"("slug");
CREATE UNIQUE INDEX "ImageCopy_poolId_volume_key" ON "ImageCopy"("poolId", "volume");
CREATE UNIQUE INDEX "ImageCopy_imageId_hostId_key" ON "ImageCopy"("imageId", "hostId");
CREATE UNIQUE INDEX "Plan_code_key" ON "Plan"("code");
CREATE UNIQUE INDEX "IpPool_regionId_name_key" ON "IpPool"("regionId", "name");
CREATE UNIQUE INDEX "IpLease_vmId_key" ON "IpLease"("vmId");
CREATE UNIQUE INDEX "IpLease_poolId_address_key" ON "IpLease"("poolId", "address");
CREATE UNIQUE INDEX "VirtualMachine_domainName_key" ON "VirtualMachine"("domainName");
CREATE INDEX "VirtualMachine_teamId_state_idx" ON "VirtualMachine"("teamId", "state");
CREATE INDEX "VirtualMachine_hostId_state_idx" ON "VirtualMachine"("hostId", "state");
CREATE INDEX "VmEvent_vmId_at_idx" ON "VmEvent"("vmId", "at");
CREATE UNIQUE INDEX "Cluster_teamId_name_key" ON "Cluster"("teamId", "name");
CREATE INDEX "HardeningReport_vmId_createdAt_idx" ON "HardeningReport"("vmId", "createdAt");
CREATE INDEX "HardeningReport_clusterId_createdAt_idx" ON "HardeningReport"("clusterId", "createdAt");
CREATE UNIQUE INDEX "Job_dedupeKey_key" ON "Job"("dedupeKey");
CREATE INDEX "Job_state_runAt_idx" ON "Job"("state", "runAt");
CREATE INDEX "Job_vmId_idx" ON "Job"("vmId");
CREATE UNIQUE INDEX "JobStep_jobId_key_key" ON "JobStep"("jobId", "key");
CREATE UNIQUE INDEX "DataLocation_hash_key" ON "DataLocation"("hash");
CREATE INDEX "DataLocation_teamId_effectiveAt_idx" ON "DataLocation"("teamId", "effectiveAt");
CREATE INDEX "DataLocation_resourceId_idx" ON "DataLocation"("resourceId");
CREATE UNIQUE INDEX "LatencyTarget_exchange_name_key" ON "LatencyTarget"("exchange", "name");
CREATE INDEX "LatencySample_regionId_targetId_at_idx" ON "LatencySample"("regionId", "targetId", "at");
CREATE INDEX "LatencySample_hostId_at_idx" ON "LatencySample"("hostId", "at");
CREATE UNIQUE INDEX "LatencyRollup_hostId_targetId_method_hour_key" ON "LatencyRollup"("hostId", "targetId", "method", "hour");
CREATE INDEX "LatencyRollup_regionId_targetId_hour_idx" ON "LatencyRollup"("regionId", "targetId", "hour");
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");
CREATE INDEX "AuditEvent_teamId_at_idx" ON "AuditEvent"("teamId", "at");
CREATE INDEX "AuditEvent_action_at_idx" ON "AuditEvent"("action", "at");

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "SshKey" ADD CONSTRAINT "SshKey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Host" ADD CONSTRAINT "Host_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "StoragePool" ADD CONSTRAINT "StoragePool_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ImageCopy" ADD CONSTRAINT "ImageCopy_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ImageCopy" ADD CONSTRAINT "ImageCopy_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ImageCopy" ADD CONSTRAINT "ImageCopy_poolId_fkey" FOREIGN KEY ("poolId") REFERENCES "StoragePool"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "IpPool" ADD CONSTRAINT "IpPool_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "IpLease" ADD CONSTRAINT "IpLease_poolId_fkey" FOREIGN KEY ("poolId") REFERENCES "IpPool"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "IpLease" ADD CONSTRAINT "IpLease_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "VirtualMachine"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "VirtualMachine" ADD CONSTRAINT "VirtualMachine_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "VirtualMachine" ADD CONSTRAINT "VirtualMachine_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "VirtualMachine" ADD CONSTRAINT "VirtualMachine_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "VirtualMachine" ADD CONSTRAINT "VirtualMachine_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "VirtualMachine" ADD CONSTRAINT "VirtualMachine_sshKeyId_fkey" FOREIGN KEY ("sshKeyId") REFERENCES "SshKey"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "VirtualMachine" ADD CONSTRAINT "VirtualMachine_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "VirtualMachine" ADD CONSTRAINT "VirtualMachine_poolId_fkey" FOREIGN KEY ("poolId") REFERENCES "StoragePool"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "VirtualMachine" ADD CONSTRAINT "VirtualMachine_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "VmEvent" ADD CONSTRAINT "VmEvent_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "VirtualMachine"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Cluster" ADD CONSTRAINT "Cluster_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Cluster" ADD CONSTRAINT "Cluster_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "HardeningReport" ADD CONSTRAINT "HardeningReport_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "VirtualMachine"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "HardeningReport" ADD CONSTRAINT "HardeningReport_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "JobStep" ADD CONSTRAINT "JobStep_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "LatencySample" ADD CONSTRAINT "LatencySample_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "LatencySample" ADD CONSTRAINT "LatencySample_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "LatencySample" ADD CONSTRAINT "LatencySample_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "LatencyTarget"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Append-only tables: the audit log and the residency ledger reject UPDATE and DELETE.
CREATE FUNCTION skjold_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'P0001';
END;
$$;
CREATE TRIGGER "AuditEvent_append_only" BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION skjold_reject_change();
CREATE TRIGGER "DataLocation_append_only" BEFORE UPDATE OR DELETE ON "DataLocation"
  FOR EACH ROW EXECUTE FUNCTION skjold_reject_change();
