-- Private networks (issue 14): a team's VXLAN segments per region and its VMs' NICs on them.
-- CreateTable
CREATE TABLE "PrivateNetwork" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "teamId" UUID NOT NULL,
    "regionId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "cidr" TEXT NOT NULL,
    "ipv6Prefix" TEXT,
    "vni" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PrivateNetwork_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PrivateNic" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "networkId" UUID NOT NULL,
    "vmId" UUID NOT NULL,
    "slot" INTEGER NOT NULL,
    "mac" TEXT NOT NULL,
    "ipv4" TEXT NOT NULL,
    "ipv6" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PrivateNic_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PrivateNetwork_teamId_regionId_name_key" ON "PrivateNetwork"("teamId", "regionId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "PrivateNetwork_regionId_vni_key" ON "PrivateNetwork"("regionId", "vni");

-- CreateIndex
CREATE INDEX "PrivateNetwork_regionId_teamId_idx" ON "PrivateNetwork"("regionId", "teamId");

-- CreateIndex
CREATE UNIQUE INDEX "PrivateNic_mac_key" ON "PrivateNic"("mac");

-- CreateIndex
CREATE UNIQUE INDEX "PrivateNic_networkId_ipv4_key" ON "PrivateNic"("networkId", "ipv4");

-- CreateIndex
CREATE UNIQUE INDEX "PrivateNic_vmId_networkId_key" ON "PrivateNic"("vmId", "networkId");

-- CreateIndex
CREATE UNIQUE INDEX "PrivateNic_vmId_slot_key" ON "PrivateNic"("vmId", "slot");

-- AddForeignKey
ALTER TABLE "PrivateNetwork" ADD CONSTRAINT "PrivateNetwork_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PrivateNetwork" ADD CONSTRAINT "PrivateNetwork_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PrivateNic" ADD CONSTRAINT "PrivateNic_networkId_fkey" FOREIGN KEY ("networkId") REFERENCES "PrivateNetwork"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PrivateNic" ADD CONSTRAINT "PrivateNic_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "VirtualMachine"("id") ON DELETE CASCADE ON UPDATE CASCADE;
