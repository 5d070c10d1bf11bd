-- A team's VM and cluster lists are read a page at a time in (createdAt, id) order, newest first
-- (lib/core/pagination.ts): with these indexes a page is an index range scan, so the 20th page of a
-- team with thousands of VMs costs what the first does, instead of sorting the whole team each time.
-- CreateIndex
CREATE INDEX "VirtualMachine_teamId_createdAt_id_idx" ON "VirtualMachine"("teamId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Cluster_teamId_createdAt_id_idx" ON "Cluster"("teamId", "createdAt" DESC, "id" DESC);
