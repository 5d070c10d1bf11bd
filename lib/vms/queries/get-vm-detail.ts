import { z } from "zod";
import { requireTeam } from "../../access/team-access";
import { notFound } from "../../core/errors";
import { getJobSnapshot } from "../../jobs/watch";
import type { TeamRequest } from "../shared/find-team-vm";
import { VM_SUMMARY } from "./list-vms";
import { VmLeftovers } from "../provision/leftovers";
import { describeSshAccess } from "./ssh-access";

/** The console's last lines an event kept (wait-ssh: a boot that failed, SSH that never answered). */
const KeptConsole = z.object({ console: z.array(z.string().max(1_000)).max(200) });

/** The latest console lines the VM's timeline kept, with when. */
function lastKeptConsole(events: readonly { at: Date; data: unknown }[]) {
  for (let i = events.length - 1; i >= 0; i--) {
    const kept = KeptConsole.safeParse(events[i]!.data);
    if (kept.success && kept.data.console.length > 0) return { at: events[i]!.at, lines: kept.data.console };
  }
  return null;
}

/** One VM with its jobs (steps included), events, latest hardening report and how to SSH to it. */
export async function getVmDetail(opts: TeamRequest & { vmId: string }) {
  const { prisma } = opts;
  const { team } = await requireTeam({ prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  const vm = /^[0-9a-f-]{36}$/i.test(opts.vmId)
    ? await prisma.virtualMachine.findUnique({
        where: { id: opts.vmId },
        select: {
          ...VM_SUMMARY,
          teamId: true,
          warmClaimedAt: true,
          domainName: true,
          diskVolume: true,
          seedVolume: true,
          placementNote: true,
          guestHostKey: true,
          guestHostKeyFingerprint: true,
          macAddress: true,
          updatedAt: true,
          leftovers: true,
          leftoversRemovedAt: true,
          host: { select: { name: true, address: true, port: true, username: true, networkMode: true, accelerator: true } },
          sshKey: { select: { id: true, name: true, fingerprint: true } },
          privateNics: {
            orderBy: { slot: "asc" },
            select: { slot: true, ipv4: true, ipv6: true, network: { select: { id: true, name: true, cidr: true } } },
          },
          events: { orderBy: { id: "asc" }, take: 500, select: { id: true, at: true, kind: true, message: true, data: true } },
          reports: { orderBy: { createdAt: "desc" }, take: 1 },
        },
      })
    : null;
  if (!vm || vm.teamId !== team.id) throw notFound("VM not found", { key: "error.vm.notFound" });
  const jobRows = await prisma.job.findMany({ where: { vmId: vm.id }, orderBy: { createdAt: "desc" }, take: 10, select: { id: true } });
  const jobs = (await Promise.all(jobRows.map((j) => getJobSnapshot({ prisma, jobId: j.id })))).filter((j) => j !== null);
  const { reports, teamId: _teamId, events, leftovers, ...rest } = vm;
  const left = VmLeftovers.safeParse(leftovers);
  return {
    ...rest,
    /** what an incomplete rollback left on the host; removed once `leftoversRemovedAt` is set */
    leftovers: left.success ? left.data : null,
    events: events.map((e) => ({ ...e, id: e.id.toString() })),
    hardeningReport: reports[0] ?? null,
    /** what the guest's serial console showed last when its boot failed or SSH never answered */
    bootConsole: lastKeptConsole(events),
    jobs,
    /** the order's time: a VM served from the warm pool was booted before it was ordered */
    orderedAt: vm.warmClaimedAt ?? vm.createdAt,
    servedWarm: vm.warmClaimedAt !== null,
    /** seconds from the order to SSH-ready (hardened, reported on, handed over) */
    sshReadySeconds: vm.readyAt ? (vm.readyAt.getTime() - (vm.warmClaimedAt ?? vm.createdAt).getTime()) / 1000 : null,
    ...describeSshAccess(vm),
  };
}
