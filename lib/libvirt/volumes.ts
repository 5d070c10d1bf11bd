import { AppError } from "../core/errors";
import { assertPoolName, assertVolumeName, RemotePathSchema } from "../ssh/quote";
import { writeRemoteFile } from "../ssh/sftp";
import { targetLabel } from "../ssh/target";
import { parseOrFail, parseSize } from "./parse";
import { runVirsh, runVirshWithXml, withRemoteTempDir, type HostContext } from "./virsh";
import { buildVolumeXml } from "./xml/volume";

export interface VolumeSummary {
  name: string;
  path: string;
  type: string;
  capacityBytes: number;
  allocationBytes: number;
}

/** Volumes of a storage pool (refreshed first, so files added behind libvirt's back show up). */
export async function listVolumes(ctx: HostContext & { storagePool: string }): Promise<VolumeSummary[]> {
  const pool = assertPoolName(ctx.storagePool);
  await runVirsh({ ...ctx, args: ["pool-refresh", "--", pool], step: `refresh pool ${pool}` });
  const r = await runVirsh({ ...ctx, args: ["vol-list", "--pool", pool, "--details"], step: `list volumes of ${pool}` });
  return r.stdout
    .split("\n")
    .filter((l) => l.trim())
    .map((line) => {
      const m = /^\s*(\S+)\s+(\/\S+)\s+(\S+)\s+(\d+(?:\.\d+)? \S+)\s+(\d+(?:\.\d+)? \S+)\s*$/.exec(line);
      if (!m) return parseOrFail(RemotePathSchema, undefined, `a volume line of ${pool}: ${JSON.stringify(line.slice(0, 100))}`) as never;
      return { name: m[1]!, path: m[2]!, type: m[3]!, capacityBytes: parseSize(m[4]!), allocationBytes: parseSize(m[5]!) };
    });
}

export async function getVolumePath(ctx: HostContext & { storagePool: string; volume: string }): Promise<string | null> {
  const pool = assertPoolName(ctx.storagePool);
  const vol = assertVolumeName(ctx.volume);
  const r = await runVirsh({ ...ctx, args: ["vol-path", "--pool", pool, vol], step: `find volume ${vol}`, allowFailure: true });
  if (r.code !== 0) return null;
  return parseOrFail(RemotePathSchema, r.stdout.trim(), `the path of volume ${vol}`);
}

/** Deletes a volume; no error when it is already gone. */
export async function deleteVolume(ctx: HostContext & { storagePool: string; volume: string }): Promise<void> {
  const pool = assertPoolName(ctx.storagePool);
  const vol = assertVolumeName(ctx.volume);
  if ((await getVolumePath({ ...ctx, storagePool: pool, volume: vol })) === null) return;
  await runVirsh({ ...ctx, args: ["vol-delete", "--pool", pool, vol], step: `delete volume ${vol}` });
}

/**
 * Creates `name` as a copy-on-write qcow2 clone of `baseVolume` (same pool): the new file only holds
 * the guest's changes, so creating it costs the same for any `capacityBytes`. Idempotent: an existing
 * volume with that name is left as it is. A failed create leaves no volume behind.
 */
export async function createCloneVolume(
  ctx: HostContext & { storagePool: string; baseVolume: string; name: string; capacityBytes: number },
): Promise<{ name: string; path: string; created: boolean }> {
  const pool = assertPoolName(ctx.storagePool);
  const name = assertVolumeName(ctx.name);
  const existing = await getVolumePath({ ...ctx, storagePool: pool, volume: name });
  if (existing) return { name, path: existing, created: false };
  const basePath = await getVolumePath({ ...ctx, storagePool: pool, volume: ctx.baseVolume });
  if (!basePath) throw new AppError("NOT_FOUND", `Base image ${ctx.baseVolume} is not in pool ${pool} on this host`);
  const xml = buildVolumeXml({ name, capacityBytes: ctx.capacityBytes, format: "qcow2", backing: { path: basePath, format: "qcow2" } });
  await cleanupOnFailure({
    ctx,
    pool,
    volume: name,
    create: () => runVirshWithXml({ ...ctx, args: ["vol-create", "--pool", pool], xml, step: `create volume ${name}` }),
  });
  const path = await getVolumePath({ ...ctx, storagePool: pool, volume: name });
  if (!path) throw new AppError("HOST_COMMAND_FAILED", `Volume ${name} was created but is not in pool ${pool}`);
  return { name, path, created: true };
}

export interface SeedFiles {
  userData: string;
  metaData: string;
  networkConfig?: string;
}

/**
 * Builds a NoCloud seed (ISO9660 "cidata", via cloud-localds on the host) from the given files and
 * stores it as raw volume `name` in the pool. Replaces an existing seed of that name.
 */
export async function createSeedVolume(
  ctx: HostContext & { storagePool: string; name: string } & SeedFiles,
): Promise<{ name: string; path: string }> {
  const pool = assertPoolName(ctx.storagePool);
  const name = assertVolumeName(ctx.name);
  const step = `build seed ${name}`;
  await deleteVolume({ ...ctx, storagePool: pool, volume: name });
  const path = await withRemoteTempDir({ ...ctx, step }, async (dir): Promise<string> => {
    const files: Array<[string, string]> = [
      ["user-data", ctx.userData],
      ["meta-data", ctx.metaData],
    ];
    if (ctx.networkConfig !== undefined) files.push(["network-config", ctx.networkConfig]);
    for (const [file, content] of files) await writeRemoteFile({ ...ctx, path: `${dir}/${file}`, content, step });
    const net = ctx.networkConfig !== undefined ? [`--network-config=${dir}/network-config`] : [];
    await ctx.pool.exec({
      target: ctx.target,
      argv: ["cloud-localds", ...net, `${dir}/seed.img`, `${dir}/user-data`, `${dir}/meta-data`],
      step,
    });
    const size = await ctx.pool.exec({ target: ctx.target, argv: ["stat", "-c", "%s", `${dir}/seed.img`], step });
    const bytes = Number(size.stdout.trim());
    if (!Number.isInteger(bytes) || bytes <= 0)
      throw new AppError("HOST_COMMAND_FAILED", `${targetLabel(ctx.target)}: ${step}: cloud-localds made no image`);
    const xml = buildVolumeXml({ name, capacityBytes: bytes, format: "raw", mode: "0644" });
    return cleanupOnFailure({
      ctx,
      pool,
      volume: name,
      create: async () => {
        await runVirshWithXml({ ...ctx, args: ["vol-create", "--pool", pool], xml, step });
        await runVirsh({ ...ctx, args: ["vol-upload", "--pool", pool, name, `${dir}/seed.img`], step });
        // vol-upload can report success when the daemon's write failed (a full pool, seen here): compare the bytes.
        const volPath = await getVolumePath({ ...ctx, storagePool: pool, volume: name });
        if (!volPath)
          throw new AppError("HOST_COMMAND_FAILED", `${targetLabel(ctx.target)}: ${step}: the seed volume is not in pool ${pool}`);
        const sums = await ctx.pool.exec({
          target: ctx.target,
          argv: ["sha256sum", "--", `${dir}/seed.img`, volPath],
          step,
          allowFailure: true,
        });
        const [want, got] = sums.stdout.split("\n").map((l) => /^([a-f0-9]{64}) /.exec(l)?.[1]);
        if (!want || want !== got)
          throw new AppError(
            "HOST_COMMAND_FAILED",
            `${targetLabel(ctx.target)}: ${step}: the uploaded seed in pool ${pool} does not match what was built (is the pool full?)`,
          );
        return volPath;
      },
    });
  });
  return { name, path };
}

/** Runs a create step; if it throws, deletes whatever part of `volume` it left, then rethrows. */
async function cleanupOnFailure<T>(opts: { ctx: HostContext; pool: string; volume: string; create: () => Promise<T> }): Promise<T> {
  const { ctx, pool, volume } = opts;
  try {
    return await opts.create();
  } catch (err) {
    await deleteVolume({ ...ctx, storagePool: pool, volume }).catch(() => undefined);
    throw err;
  }
}
