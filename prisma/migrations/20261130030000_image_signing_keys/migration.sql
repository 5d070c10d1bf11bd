-- A team's cosign public keys for the clusters' image admission gate.
-- CreateTable
CREATE TABLE "ImageSigningKey" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "teamId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "keyType" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ImageSigningKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ImageSigningKey_teamId_name_key" ON "ImageSigningKey"("teamId", "name");
CREATE UNIQUE INDEX "ImageSigningKey_teamId_fingerprint_key" ON "ImageSigningKey"("teamId", "fingerprint");

-- AddForeignKey
ALTER TABLE "ImageSigningKey" ADD CONSTRAINT "ImageSigningKey_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
