import type { Principal, RequestMeta } from "../access/principal";
import type { PrismaClient } from "../generated/prisma/client";
import { createTeam } from "../teams/create-team";
import { addSshKey } from "../users/ssh-keys";

export const LAB_TEAM = { name: "Lab", slug: "lab" } as const;

/**
 * Gives the admin who runs the lab somewhere to order from: a team "Lab" they own (VMs are ordered by
 * teams, and a fresh portal has none), and the public keys of the account that started the lab, so
 * the order form has a key to pick. Both are skipped when they are already there.
 */
export async function createLabTeam(opts: {
  prisma: PrismaClient;
  principal: Extract<Principal, { kind: "user" }>;
  publicKeys: { name: string; publicKey: string }[];
  meta?: RequestMeta;
}): Promise<{ teamCreated: boolean; keysAdded: string[] }> {
  const { prisma, principal } = opts;
  let teamCreated = false;
  if (!(await prisma.team.findUnique({ where: { slug: LAB_TEAM.slug } }))) {
    await createTeam({ prisma, principal, meta: opts.meta, input: { ...LAB_TEAM, ownerEmail: principal.email } });
    teamCreated = true;
  }
  const keysAdded: string[] = [];
  const have = await prisma.sshKey.findMany({ where: { userId: principal.userId }, select: { publicKey: true, name: true } });
  const blobOf = (line: string) => line.trim().split(/\s+/)[1];
  for (const key of opts.publicKeys) {
    if (have.some((k) => blobOf(k.publicKey) === blobOf(key.publicKey) || k.name === key.name)) continue;
    await addSshKey({ prisma, principal, meta: opts.meta, input: key });
    keysAdded.push(key.name);
  }
  return { teamCreated, keysAdded };
}
