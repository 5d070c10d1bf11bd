import { requireTeam } from "../../access/team-access";
import { findPage, listOrder, type PageRequest } from "../../core/pagination";
import type { Prisma } from "../../generated/prisma/client";
import type { TeamRequest } from "../shared/find-team-vm";

/** What a VM list row shows (and the detail view starts from). */
export const VM_SUMMARY = {
  id: true,
  name: true,
  state: true,
  vcpus: true,
  memoryMb: true,
  diskGb: true,
  sshHost: true,
  sshPort: true,
  ipAddress: true,
  ipv6Address: true,
  ipv6Prefix: true,
  adminUser: true,
  lastError: true,
  createdAt: true,
  readyAt: true,
  deletedAt: true,
  region: { select: { code: true, name: true, city: true, country: true, jurisdiction: true } },
  plan: { select: { code: true, name: true } },
  image: { select: { slug: true, name: true } },
  host: { select: { name: true } },
} as const;

const VM_ORDER = listOrder<Prisma.VirtualMachineWhereInput, Prisma.VirtualMachineOrderByWithRelationInput>("vms", [
  { field: "createdAt", dir: "desc", kind: "time" },
  { field: "id", dir: "desc", kind: "uuid" },
]);

/** A page of the team's VMs, newest first; deleted ones stay listed as history unless `live`. */
export async function listVms(opts: TeamRequest & { page: PageRequest; live?: boolean }) {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  return findPage({
    order: VM_ORDER,
    page: opts.page,
    where: { teamId: team.id, ...(opts.live ? { state: { not: "DELETED" } } : {}) },
    find: (query) => opts.prisma.virtualMachine.findMany({ ...query, select: VM_SUMMARY }),
  });
}
