-- Firewall rule sets (issue 14): a team's inbound rules and outbound default, applied to VMs and
-- enforced on the host on each VM's tap.
-- CreateEnum
CREATE TYPE "FirewallOutbound" AS ENUM ('ALLOW', 'DENY');

-- CreateTable
CREATE TABLE "FirewallRuleSet" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "teamId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "rules" JSONB NOT NULL,
    "outbound" "FirewallOutbound" NOT NULL DEFAULT 'ALLOW',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FirewallRuleSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VmFirewallRuleSet" (
    "vmId" UUID NOT NULL,
    "ruleSetId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VmFirewallRuleSet_pkey" PRIMARY KEY ("vmId","ruleSetId")
);

-- CreateIndex
CREATE UNIQUE INDEX "FirewallRuleSet_teamId_name_key" ON "FirewallRuleSet"("teamId", "name");

-- CreateIndex
CREATE INDEX "VmFirewallRuleSet_ruleSetId_idx" ON "VmFirewallRuleSet"("ruleSetId");

-- AddForeignKey
ALTER TABLE "FirewallRuleSet" ADD CONSTRAINT "FirewallRuleSet_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VmFirewallRuleSet" ADD CONSTRAINT "VmFirewallRuleSet_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "VirtualMachine"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VmFirewallRuleSet" ADD CONSTRAINT "VmFirewallRuleSet_ruleSetId_fkey" FOREIGN KEY ("ruleSetId") REFERENCES "FirewallRuleSet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
