-- Residency reports page through one resource's history in ledger order: ("resourceId", "seq").
-- DropIndex
DROP INDEX "DataLocation_resourceId_idx";

-- CreateIndex
CREATE INDEX "DataLocation_resourceId_seq_idx" ON "DataLocation"("resourceId", "seq");
