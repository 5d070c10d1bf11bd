-- Public addresses for guests: routed hosts, address pools per region (routed to a host or a bridged
-- segment), leases with quarantine, and the append-only address history abuse desks ask about.

ALTER TYPE "NetworkMode" ADD VALUE 'ROUTED';
CREATE TYPE "GuestAccess" AS ENUM ('JUMP', 'DIRECT');
CREATE TYPE "IpFamily" AS ENUM ('IPV4', 'IPV6');
CREATE TYPE "AddressAction" AS ENUM ('ASSIGN', 'RELEASE');

ALTER TABLE "Host" ADD COLUMN "uplink" TEXT,
    ADD COLUMN "guestAccess" "GuestAccess" NOT NULL DEFAULT 'JUMP',
    ADD COLUMN "networkProblem" TEXT,
    ADD COLUMN "networkCheckedAt" TIMESTAMP(3);

-- No pool or lease was ever made by earlier versions (nothing could use them): reshape them freely.
DELETE FROM "IpLease";
DELETE FROM "IpPool";
DROP INDEX "IpLease_vmId_key";
ALTER TABLE "IpPool" DROP COLUMN "dns",
    ALTER COLUMN "gateway" DROP NOT NULL,
    ADD COLUMN "hostId" UUID,
    ADD COLUMN "family" "IpFamily" NOT NULL,
    ADD COLUMN "rangeStart" TEXT,
    ADD COLUMN "rangeEnd" TEXT,
    ADD COLUMN "reserved" TEXT[] DEFAULT ARRAY[]::TEXT[],
    ADD COLUMN "dns" TEXT[] DEFAULT ARRAY[]::TEXT[],
    ADD COLUMN "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE "IpPool" ADD CONSTRAINT "IpPool_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "IpLease" ADD COLUMN "assignedAt" TIMESTAMP(3),
    ADD COLUMN "releasedAt" TIMESTAMP(3),
    ADD COLUMN "quarantineUntil" TIMESTAMP(3);
CREATE INDEX "IpLease_vmId_idx" ON "IpLease"("vmId");

ALTER TABLE "VirtualMachine" ADD COLUMN "macAddress" TEXT,
    ADD COLUMN "ipv6Address" TEXT,
    ADD COLUMN "ipv6Prefix" TEXT;
CREATE UNIQUE INDEX "VirtualMachine_macAddress_key" ON "VirtualMachine"("macAddress");

CREATE TABLE "AddressEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "action" "AddressAction" NOT NULL,
    "poolId" UUID NOT NULL,
    "family" "IpFamily" NOT NULL,
    "address" TEXT NOT NULL,
    "prefixLen" INTEGER NOT NULL,
    "vmId" UUID NOT NULL,
    "vmName" TEXT NOT NULL,
    "teamId" UUID NOT NULL,
    "teamSlug" TEXT NOT NULL,
    "regionCode" TEXT NOT NULL,
    "hostName" TEXT,
    CONSTRAINT "AddressEvent_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "AddressEvent_address_at_idx" ON "AddressEvent"("address", "at");
CREATE INDEX "AddressEvent_vmId_idx" ON "AddressEvent"("vmId");
CREATE TRIGGER "AddressEvent_append_only" BEFORE UPDATE OR DELETE ON "AddressEvent"
  FOR EACH ROW EXECUTE FUNCTION skjold_reject_change();
