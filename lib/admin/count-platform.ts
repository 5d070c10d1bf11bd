import type { Principal } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import type { PrismaClient } from "../generated/prisma/client";

/** Admin home: how many teams, users, active regions and plans, hosts and VMs not deleted there are. */
export async function countPlatform(opts: { prisma: PrismaClient; principal: Principal }) {
  requireAdmin(opts.principal);
  const { prisma } = opts;
  const [teams, users, regions, plans, hosts, vms] = await Promise.all([
    prisma.team.count(),
    prisma.user.count(),
    prisma.region.count({ where: { active: true } }),
    prisma.plan.count({ where: { active: true } }),
    prisma.host.count(),
    prisma.virtualMachine.count({ where: { state: { notIn: ["DELETED"] } } }),
  ]);
  return { teams, users, regions, plans, hosts, vms };
}
