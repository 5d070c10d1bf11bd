import type { PrismaClient } from "../../generated/prisma/client";

/** Marks the cluster PROVISIONING (first run, or a re-run after FAILED); never revives a deleted cluster. */
export async function resumeCluster(prisma: PrismaClient, clusterId: string): Promise<void> {
  await prisma.cluster.updateMany({
    where: { id: clusterId, state: { in: ["PENDING", "FAILED"] } },
    data: { state: "PROVISIONING", lastError: null },
  });
}
