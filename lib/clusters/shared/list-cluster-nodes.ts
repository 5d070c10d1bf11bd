import type { PrismaClient } from "../../generated/prisma/client";

const ROLES = ["server", "agent"] as const;

/** The cluster's live nodes, server first (DELETED nodes are history, not nodes). */
export async function listClusterNodes(prisma: PrismaClient, clusterId: string) {
  const rows = await prisma.virtualMachine.findMany({
    where: { clusterId, clusterRole: { in: [...ROLES] }, state: { not: "DELETED" } },
    select: { id: true, name: true, state: true, lastError: true, clusterRole: true },
    orderBy: { name: "asc" },
  });
  return rows.sort((a, b) => Number(a.clusterRole === "agent") - Number(b.clusterRole === "agent"));
}
