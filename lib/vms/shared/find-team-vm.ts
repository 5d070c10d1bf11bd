import { requireTeam } from "../../access/team-access";
import type { Principal, RequestMeta } from "../../access/principal";
import { notFound } from "../../core/errors";
import type { PrismaClient } from "../../generated/prisma/client";

/** What a tenant's request about its team carries. */
export interface TeamRequest {
  prisma: PrismaClient;
  principal: Principal;
  teamSlug: string;
}

/** … and about one of its team's VMs. */
export interface VmRequest extends TeamRequest {
  vmId: string;
  meta?: RequestMeta;
}

/** The team's VM for a caller who may operate it; another team's VM is simply not found. */
export async function findTeamVm(opts: VmRequest) {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "operate" });
  const vm = /^[0-9a-f-]{36}$/i.test(opts.vmId) ? await opts.prisma.virtualMachine.findUnique({ where: { id: opts.vmId } }) : null;
  if (!vm || vm.teamId !== team.id) throw notFound("VM not found", { key: "error.vm.notFound" });
  return { team, vm };
}
