import { randomBytes } from "node:crypto";
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
