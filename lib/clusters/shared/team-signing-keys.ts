import type { PrismaClient } from "../../generated/prisma/client";

/** The canonical PEM keys a team's clusters trust, oldest first (what the admission policy lists). */
export async function teamSigningKeys(prisma: PrismaClient, teamId: string): Promise<string[]> {
  const rows = await prisma.imageSigningKey.findMany({ where: { teamId }, select: { publicKey: true }, orderBy: { createdAt: "asc" } });
  return rows.map((r) => r.publicKey);
}
