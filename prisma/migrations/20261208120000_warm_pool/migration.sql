-- Warm pools (issue 17): per region, plan and image, how many warm guests to keep ready. A warm guest
-- is a VirtualMachine row with no team (teamId NULL) until an order takes it; warmPoolId stays set
-- after the hand-over so the pool's figures (time to SSH-ready) can be read.
-- AlterTable
ALTER TABLE "VirtualMachine" ALTER COLUMN "teamId" DROP NOT NULL,
ADD COLUMN     "warmPoolId" UUID,
ADD COLUMN     "warmClaimedAt" TIMESTAMP(3),
ADD COLUMN     "pendingHostKeyEnc" TEXT;

-- CreateTable
CREATE TABLE "WarmPool" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "regionId" UUID NOT NULL,
    "planId" UUID NOT NULL,
    "imageId" UUID NOT NULL,
    "size" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WarmPool_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "WarmPool_regionId_planId_imageId_key" ON "WarmPool"("regionId", "planId", "imageId");

-- CreateIndex
CREATE INDEX "VirtualMachine_warmPoolId_state_idx" ON "VirtualMachine"("warmPoolId", "state");

-- AddForeignKey
ALTER TABLE "VirtualMachine" ADD CONSTRAINT "VirtualMachine_warmPoolId_fkey" FOREIGN KEY ("warmPoolId") REFERENCES "WarmPool"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WarmPool" ADD CONSTRAINT "WarmPool_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WarmPool" ADD CONSTRAINT "WarmPool_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WarmPool" ADD CONSTRAINT "WarmPool_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
