import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import { AppError, fromZod } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { undefineDomain } from "../libvirt/domains";
import { deleteVolume } from "../libvirt/volumes";
import type { SshPool } from "../ssh/pool";
import { volumeKey, type Drift } from "./drift";
import { addAdopted } from "./drift-store";
import { loadHost } from "./host-record";
import { reconcileHostNow } from "./reconcile-host";
import { runOnHost } from "./run-on-host";
import { DriftSelectionInput } from "./schemas";

interface DriftActionOptions {
  prisma: PrismaClient;
  principal: Principal;
  hostId: string;
  /** { domains: ["skj-…"], volumes: [{ pool, name }] } */
  input: unknown;
  meta?: RequestMeta;
  sshPool?: SshPool;
}

export interface CleanUpResult {
  cleaned: string[];
  refused: Array<{ name: string; reason: string }>;
  drift: Drift;
}

/**
 * Admin: destroys and undefines the chosen unknown domains (with their storage) and deletes the
 * chosen orphan volumes. Drift is re-read first; only objects that are still drift and carry
 * Skjold's prefix are touched, the rest is refused with the reason.
 */
export async function cleanUpDrift(opts: DriftActionOptions): Promise<CleanUpResult> {
  requireAdmin(opts.principal);
  const selection = parseSelection(opts.input);
  const host = await loadHost(opts.prisma, opts.hostId);
  const drift = await reconcileHostNow(opts);
  const refused: CleanUpResult["refused"] = [];
  const cleaned: string[] = [];
  await runOnHost({ prisma: opts.prisma, host, sshPool: opts.sshPool }, async (ctx) => {
    for (const name of selection.domains) {
      const d = drift.unknownDomains.find((x) => x.name === name);
      if (!d) refused.push({ name, reason: "not an unknown domain on this host (known to Skjold, adopted, or gone)" });
      else if (!d.cleanable) refused.push({ name, reason: "not named by Skjold (skj-…): clean it up by hand" });
      else {
        // Storage goes volume by volume: only the domain's own Skjold-named disks, never a base image
        // or a volume the database knows (libvirt's --remove-all-storage would take them all).
        await undefineDomain({ ...ctx, name, removeStorage: false });
        cleaned.push(`domain ${name}`);
        for (const v of d.volumes) {
          await deleteVolume({ ...ctx, storagePool: v.pool, volume: v.name });
          cleaned.push(`volume ${volumeKey(v.pool, v.name)}`);
        }
      }
    }
    for (const v of selection.volumes) {
      const o = drift.orphanVolumes.find((x) => volumeKey(x.pool, x.name) === volumeKey(v.pool, v.name));
      if (!o) refused.push({ name: volumeKey(v.pool, v.name), reason: "not an orphan volume on this host" });
      else if (!o.cleanable) refused.push({ name: volumeKey(v.pool, v.name), reason: "not named by Skjold (skj-…): clean it up by hand" });
      else {
        await deleteVolume({ ...ctx, storagePool: o.pool, volume: o.name });
        cleaned.push(`volume ${volumeKey(o.pool, o.name)}`);
      }
    }
  });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "host.drift.cleanup",
    targetType: "host",
    targetId: host.id,
    details: { cleaned, refused },
    meta: opts.meta,
  });
  return { cleaned, refused, drift: await reconcileHostNow(opts) };
}

/** Admin: records unknown domains / orphan volumes as known, so reconciliation stops reporting them. */
export async function adoptDrift(opts: DriftActionOptions): Promise<{ adopted: string[]; drift: Drift }> {
  requireAdmin(opts.principal);
  const selection = parseSelection(opts.input);
  const drift = await reconcileHostNow(opts);
  const domains = selection.domains.filter((n) => drift.unknownDomains.some((d) => d.name === n));
  const volumes = selection.volumes
    .map((v) => volumeKey(v.pool, v.name))
    .filter((k) => drift.orphanVolumes.some((o) => volumeKey(o.pool, o.name) === k));
  if (domains.length + volumes.length === 0)
    throw new AppError("VALIDATION", "None of the chosen objects is drift on this host right now.", { key: "error.host.noDriftChosen" });
  await addAdopted({ prisma: opts.prisma, hostId: opts.hostId, domains, volumes });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "host.drift.adopt",
    targetType: "host",
    targetId: opts.hostId,
    details: { domains, volumes },
    meta: opts.meta,
  });
  return { adopted: [...domains, ...volumes], drift: await reconcileHostNow(opts) };
}

function parseSelection(input: unknown) {
  const parsed = DriftSelectionInput.safeParse(input);
  if (!parsed.success) throw fromZod(parsed.error, "Drift selection");
  return parsed.data;
}
