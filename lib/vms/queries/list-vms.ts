import { requireTeam } from "../../access/team-access";
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

/** The team's VMs, newest first; deleted ones stay listed as history. */
export async function listVms(opts: TeamRequest) {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  return opts.prisma.virtualMachine.findMany({ where: { teamId: team.id }, orderBy: { createdAt: "desc" }, select: VM_SUMMARY });
}
