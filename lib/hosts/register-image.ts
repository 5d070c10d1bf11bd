import { z } from "zod";
import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import { AppError, fromZod } from "../core/errors";
import { findPage, listOrder, type PageRequest } from "../core/pagination";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { parseOrFail } from "../libvirt/parse";
import type { HostContext } from "../libvirt/virsh";
import { getVolumePath } from "../libvirt/volumes";
import type { SshPool } from "../ssh/pool";
import { hasBootSector } from "./boot-sector";
import { loadHost } from "./host-record";
import { runOnHost } from "./run-on-host";
import { RegisterImageInput } from "./schemas";

const QemuImgInfoSchema = z.object({ format: z.enum(["qcow2", "raw"]), "virtual-size": z.number().int().positive() });
const Sha256Schema = z.string().regex(/^[a-f0-9]{64}$/);

/**
 * Admin: records that a catalogue image exists on a host's pool (an ImageCopy, which ordering uses).
 * The volume, its format and size, and the kernel/initrd for direct boot are checked on the host,
 * and its sha256 is computed there (never taken from the form). An image registered without a kernel
 * must boot on its own: its disk needs a boot loader, or every VM from it would hang before booting.
 */
export async function registerImage(opts: {
  prisma: PrismaClient;
  principal: Principal;
  input: unknown;
  meta?: RequestMeta;
  sshPool?: SshPool;
}) {
  requireAdmin(opts.principal);
  const parsed = RegisterImageInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Image");
  const input = parsed.data;
  const host = await loadHost(opts.prisma, input.hostId);
  const image = await opts.prisma.image.findUnique({ where: { slug: input.imageSlug } });
  if (!image)
    throw new AppError("VALIDATION", `Image ${input.imageSlug} is not in the catalogue.`, {
      key: "error.image.notInCatalogue",
      params: { slug: input.imageSlug },
    });
  const pool = await opts.prisma.storagePool.findUnique({ where: { hostId_name: { hostId: host.id, name: input.pool } } });
  if (!pool)
    throw new AppError("VALIDATION", `${host.name} has no storage pool ${input.pool} (refresh the host if it was added recently).`, {
      key: "error.image.noPool",
      params: { host: host.name, pool: input.pool },
    });

  const checked = await runOnHost({ prisma: opts.prisma, host, sshPool: opts.sshPool }, async (ctx) => {
    const path = await getVolumePath({ ...ctx, storagePool: pool.name, volume: input.volume });
    if (!path)
      throw new AppError("VALIDATION", `${host.name}: volume ${input.volume} is not in pool ${pool.name}.`, {
        key: "error.image.noVolume",
        params: { host: host.name, volume: input.volume, pool: pool.name },
      });
    for (const file of [input.kernelPath, input.initrdPath]) if (file) await assertReadableFile(ctx, file);
    const info = await ctx.pool.exec({
      target: ctx.target,
      argv: ["qemu-img", "info", "--output=json", "-U", "--", path],
      step: `inspect image ${input.volume}`,
    });
    const meta = parseOrFail(QemuImgInfoSchema, JSON.parse(info.stdout), `qemu-img info of ${input.volume}`);
    if (!input.kernelPath && !(await hasBootSector({ ...ctx, path, format: meta.format }))) {
      throw new AppError(
        "VALIDATION",
        `${host.name}: ${input.volume} has no boot loader (no boot sector on its disk), so a VM made from it would never boot. ` +
          "Give the kernel and initrd it boots with (scripts/build-guest-image writes their paths to /var/lib/skjold-lab/lab.json, image.kernelPath and image.initrdPath).",
        {
          details: [{ path: "kernelPath", message: "required: the image has no boot loader" }],
          key: "error.image.noBootLoader",
          params: { host: host.name, volume: input.volume },
        },
      );
    }
    const sum = await ctx.pool.exec({
      target: ctx.target,
      argv: ["sha256sum", "--", path],
      step: `checksum image ${input.volume}`,
      timeoutMs: 15 * 60_000,
    });
    return { path, ...meta, sha256: parseOrFail(Sha256Schema, sum.stdout.split(/\s+/)[0], `the sha256 of ${input.volume}`) };
  });
  if (input.expectedSha256 && input.expectedSha256 !== checked.sha256) {
    throw new AppError(
      "CONFLICT",
      `${host.name}: ${input.volume} has sha256 ${checked.sha256}, not the expected ${input.expectedSha256}. Not registered.`,
      {
        key: "error.image.checksum",
        params: { host: host.name, volume: input.volume, sha256: checked.sha256, expected: input.expectedSha256 },
      },
    );
  }
  const data = {
    poolId: pool.id,
    volume: input.volume,
    format: checked.format,
    checksumSha256: checked.sha256,
    sizeBytes: BigInt(checked["virtual-size"]),
    kernelPath: input.kernelPath ?? null,
    initrdPath: input.initrdPath ?? null,
  };
  const copy = await opts.prisma.imageCopy.upsert({
    where: { imageId_hostId: { imageId: image.id, hostId: host.id } },
    update: data,
    create: { imageId: image.id, hostId: host.id, ...data },
  });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "image.register",
    targetType: "image-copy",
    targetId: copy.id,
    details: { image: image.slug, host: host.name, pool: pool.name, volume: input.volume, sha256: checked.sha256 },
    meta: opts.meta,
  });
  return copy;
}

async function assertReadableFile(ctx: HostContext, file: string): Promise<void> {
  const r = await ctx.pool.exec({
    target: ctx.target,
    argv: ["test", "-f", file, "-a", "-r", file],
    step: `check ${file}`,
    allowFailure: true,
  });
  if (r.code !== 0)
    throw new AppError("VALIDATION", `${ctx.target.label}: ${file} is not a readable file on the host.`, {
      key: "error.image.fileUnreadable",
      params: { host: ctx.target.label, file },
    });
}

/** Admin: the catalogue with every registered copy (host, pool, volume, checksum). */
const IMAGE_ORDER = listOrder<Prisma.ImageWhereInput, Prisma.ImageOrderByWithRelationInput>("images", [
  { field: "slug", dir: "asc", kind: "text" },
  { field: "id", dir: "asc", kind: "uuid" },
]);

/** Admin: a page of the catalogue by slug, with every registered copy (host, pool, volume, checksum). */
export async function listImages(opts: { prisma: PrismaClient; principal: Principal; page: PageRequest }) {
  requireAdmin(opts.principal);
  return findPage({
    order: IMAGE_ORDER,
    page: opts.page,
    find: (query) =>
      opts.prisma.image.findMany({
        ...query,
        include: {
          copies: {
            include: { host: { select: { id: true, name: true, status: true } }, pool: { select: { name: true } } },
            orderBy: { createdAt: "asc" },
          },
        },
      }),
  });
}
