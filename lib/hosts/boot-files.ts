import path from "node:path";
import type { HostContext } from "../libvirt/virsh";
import { RemotePathSchema } from "../ssh/quote";

// Direct kernel boot needs the image's own kernel and initrd. scripts/build-guest-image keeps them
// beside the pool, in <pool>/../images/<recipe hash>/{vmlinuz,initrd.img}, and names the volume
// <slug>-base-<first 8 of the hash>.qcow2. Skjold suggests those files; the admin can override them.

export interface BootFiles {
  kernelPath: string | null;
  initrdPath: string | null;
}

/** Pure: the boot files for a base image volume among the files found on the host. */
export function suggestBootFiles(opts: { volume: string; files: readonly string[] }): BootFiles {
  const hash = /-base-([a-f0-9]{6,})\.qcow2$/.exec(opts.volume)?.[1];
  if (!hash) return { kernelPath: null, initrdPath: null };
  const inDir = (name: string) =>
    opts.files.find((f) => path.posix.basename(f) === name && path.posix.basename(path.posix.dirname(f)).startsWith(hash)) ?? null;
  return { kernelPath: inDir("vmlinuz"), initrdPath: inDir("initrd.img") };
}

/** Pure: the catalogue slug a base image volume names ("debian-12-base-…" → "debian-12"). */
export function slugOfBaseVolume(volume: string): string | null {
  return /^([a-z0-9][a-z0-9.-]{0,39})-base-/.exec(volume)?.[1] ?? null;
}

/** Lists kernels and initrds kept beside a pool (one SSH command; nothing found is not an error). */
export async function listBootFiles(ctx: HostContext & { poolPath: string }): Promise<string[]> {
  const dir = `${path.posix.dirname(ctx.poolPath)}/images`;
  if (!RemotePathSchema.safeParse(dir).success) return [];
  const r = await ctx.pool.exec({
    target: ctx.target,
    argv: ["find", dir, "-maxdepth", "2", "-type", "f", "(", "-name", "vmlinuz", "-o", "-name", "initrd.img", ")"],
    step: "look for image kernels",
    allowFailure: true,
    timeoutMs: 15_000,
  });
  return r.stdout
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => RemotePathSchema.safeParse(l).success);
}
