import { requireTeam } from "../../access/team-access";
import { notFound } from "../../core/errors";
import type { TeamRequest } from "../shared/find-team-vm";

/** A VM's backups, newest first (deleted and failed ones stay as history): any member of its team. */
export async function listVmBackups(opts: TeamRequest & { vmId: string }) {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  const vm = /^[0-9a-f-]{36}$/i.test(opts.vmId) ? await opts.prisma.virtualMachine.findUnique({ where: { id: opts.vmId } }) : null;
  if (!vm || vm.teamId !== team.id) throw notFound("VM not found", { key: "error.vm.notFound" });
  const rows = await opts.prisma.backup.findMany({
    where: { vmId: vm.id },
    include: { target: { include: { region: true } } },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  return rows.map((b) => ({
    id: b.id,
    kind: b.kind,
    state: b.state,
    parentId: b.parentId,
    target: b.target.name,
    region: b.target.region.code,
    country: b.target.region.country,
    jurisdiction: b.target.region.jurisdiction,
    sizeBytes: b.sizeBytes === null ? null : Number(b.sizeBytes),
    bytesMoved: b.bytesMoved === null ? null : Number(b.bytesMoved),
    sha256: b.sha256,
    lastError: b.lastError,
    createdAt: b.createdAt.toISOString(),
    completedAt: b.completedAt?.toISOString() ?? null,
    deletedAt: b.deletedAt?.toISOString() ?? null,
  }));
}
