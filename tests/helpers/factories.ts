import { randomBytes, randomUUID } from "node:crypto";
import type { Principal } from "@/lib/access/principal";
import { hashPassword } from "@/lib/auth/password";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/generated/prisma/enums";

// Test data made through Prisma, with principals shaped as the portal builds them.
const uniq = () => randomBytes(4).toString("hex");

export async function makeUser(prisma: PrismaClient, opts: { isAdmin?: boolean; password?: string; email?: string } = {}) {
  const email = opts.email ?? `user-${uniq()}@example.no`;
  const user = await prisma.user.create({
    data: {
      email,
      name: `User ${email}`,
      isAdmin: opts.isAdmin ?? false,
      passwordHash: await hashPassword(opts.password ?? "a-long-test-password"),
    },
  });
  const principal: Extract<Principal, { kind: "user" }> = {
    kind: "user",
    userId: user.id,
    email,
    name: user.name,
    isAdmin: user.isAdmin,
    locale: "en",
    sessionId: "00000000-0000-0000-0000-000000000000",
  };
  return { user, principal };
}

export async function makeTeam(prisma: PrismaClient, members: { userId: string; role: Role }[] = []) {
  const slug = `team-${uniq()}`;
  const team = await prisma.team.create({ data: { name: `Team ${slug}`, slug } });
  for (const m of members) await prisma.membership.create({ data: { teamId: team.id, userId: m.userId, role: m.role } });
  return team;
}

/** VM rows (nothing runs) of one team, in a region and optionally on a host; plan and image made as needed. */
export async function makeVms(
  prisma: PrismaClient,
  opts: { teamId: string; regionId: string; hostId?: string; count: number; prefix?: string },
) {
  const plan = await prisma.plan.upsert({
    where: { code: "test-nano" },
    update: {},
    create: { code: "test-nano", name: "Test nano", vcpus: 1, memoryMb: 512, diskGb: 10, priceNokMonthly: 0 },
  });
  const image = await prisma.image.upsert({
    where: { slug: "test-image" },
    update: {},
    create: { slug: "test-image", name: "Test image", os: "debian", version: "12" },
  });
  const prefix = opts.prefix ?? `vm-${uniq()}`;
  const rows = Array.from({ length: opts.count }, (_, i) => ({
    id: randomUUID(),
    teamId: opts.teamId,
    regionId: opts.regionId,
    hostId: opts.hostId ?? null,
    planId: plan.id,
    imageId: image.id,
    name: opts.count === 1 ? prefix : `${prefix}-${i + 1}`,
    vcpus: 1,
    memoryMb: 512,
    diskGb: 10,
    domainName: `skj-${uniq()}${uniq()}`,
  }));
  await prisma.virtualMachine.createMany({ data: rows });
  return rows;
}
