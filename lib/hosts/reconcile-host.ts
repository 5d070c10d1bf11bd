import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import type { PrismaClient } from "../generated/prisma/client";
import { listDomains } from "../libvirt/domains";
import { runVirsh, type HostContext } from "../libvirt/virsh";
import { listVolumes } from "../libvirt/volumes";
import type { SshPool } from "../ssh/pool";
import { listBootFiles, slugOfBaseVolume, suggestBootFiles } from "./boot-files";
import { computeDrift, parseDomainDisks, type Drift } from "./drift";
import { readAdopted, writeDriftReport } from "./drift-store";
import { loadHost } from "./host-record";
import { runOnHost } from "./run-on-host";

export interface ReconcileOptions {
  prisma: PrismaClient;
  hostId: string;
  sshPool?: SshPool;
}

/** Reads libvirt's domains and the pools' volumes, compares them with the database, stores and returns the drift. */
export async function reconcileHostNow(opts: ReconcileOptions): Promise<Drift> {
  const host = await loadHost(opts.prisma, opts.hostId);
  const pools = await opts.prisma.storagePool.findMany({ where: { hostId: host.id } });
  const [vms, copies, adopted, backups] = await Promise.all([
    opts.prisma.virtualMachine.findMany({
      where: { hostId: host.id },
      select: { id: true, name: true, domainName: true, state: true, diskVolume: true, seedVolume: true },
    }),
    opts.prisma.imageCopy.findMany({ where: { hostId: host.id }, include: { pool: { select: { name: true } } } }),
    readAdopted({ prisma: opts.prisma, hostId: host.id }),
    opts.prisma.backup.findMany({
      where: { state: { not: "DELETED" }, target: { pool: { hostId: host.id } } },
      select: { volume: true, target: { select: { pool: { select: { name: true } } } } },
    }),
  ]);
  const known = new Set([...vms.map((v) => v.domainName), ...adopted.domains]);
  const drift = await runOnHost({ prisma: opts.prisma, host, sshPool: opts.sshPool }, async (ctx) => {
    const domains = await listDomains(ctx);
    const domainDisks: Record<string, string[]> = {};
    for (const d of domains)
      if (!known.has(d.name) && !d.name.startsWith("skjold-probe-")) domainDisks[d.name] = await domainDiskPaths(ctx, d.name);
    const volumes = [];
    for (const p of pools) {
      if (p.availableBytes === BigInt(0) && p.mediaNote?.startsWith("not found")) continue;
      for (const v of await listVolumes({ ...ctx, storagePool: p.name })) volumes.push({ pool: p.name, name: v.name, path: v.path });
    }
    const found = computeDrift({
      domains,
      domainDisks,
      volumes,
      vms,
      imageVolumes: copies.map((c) => ({ pool: c.pool.name, volume: c.volume })),
      backupVolumes: backups.map((b) => ({ pool: b.target.pool.name, volume: b.volume })),
      adopted,
    });
    return { ...found, unregisteredImages: await withBootFiles(ctx, found.unregisteredImages, pools) };
  });
  await writeDriftReport({ prisma: opts.prisma, hostId: host.id, drift, at: new Date() });
  return drift;
}

async function domainDiskPaths(ctx: HostContext, name: string): Promise<string[]> {
  const r = await runVirsh({ ...ctx, args: ["domblklist", "--details", "--", name], step: `list disks of ${name}`, allowFailure: true });
  return r.code === 0 ? parseDomainDisks(r.stdout) : [];
}

async function withBootFiles(
  ctx: HostContext,
  images: Drift["unregisteredImages"],
  pools: Array<{ name: string; path: string }>,
): Promise<Drift["unregisteredImages"]> {
  const out = [];
  for (const img of images) {
    const poolPath = pools.find((p) => p.name === img.pool)?.path;
    const files = poolPath ? await listBootFiles({ ...ctx, poolPath }) : [];
    out.push({ ...img, slug: slugOfBaseVolume(img.name), ...suggestBootFiles({ volume: img.name, files }) });
  }
  return out;
}

/** Admin: reconcile now (also runs on a schedule: `reconcileAllHostsTask`). */
export async function reconcileHost(opts: ReconcileOptions & { principal: Principal; meta?: RequestMeta }): Promise<Drift> {
  requireAdmin(opts.principal);
  const drift = await reconcileHostNow(opts);
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "host.reconcile",
    targetType: "host",
    targetId: opts.hostId,
    details: {
      unknownDomains: drift.unknownDomains.length,
      missingDomains: drift.missingDomains.length,
      orphanVolumes: drift.orphanVolumes.length,
    },
    meta: opts.meta,
  });
  return drift;
}
