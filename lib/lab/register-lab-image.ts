import type { Principal, RequestMeta } from "../access/principal";
import { AppError } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { slugOfBaseVolume } from "../hosts/boot-files";
import { registerImage } from "../hosts/register-image";
import type { SshPool } from "../ssh/pool";
import type { LabFacts } from "./lab-facts";

/**
 * Registers the lab's guest image on one lab host, with its kernel and initrd for direct boot (the
 * image has no boot loader of its own), through the same checks as Admin → Images: volume in the pool,
 * kernel and initrd readable on the host, sha256 computed there and compared with the lab's. A copy
 * that already says exactly that is left alone; a rebuilt image (new volume or checksum) replaces it.
 */
export async function registerLabImage(opts: {
  prisma: PrismaClient;
  principal: Principal;
  hostId: string;
  storagePool: string;
  image: LabFacts["image"];
  sshPool?: SshPool;
  meta?: RequestMeta;
}): Promise<{ slug: string; registered: boolean }> {
  const { prisma, image } = opts;
  const slug = slugOfBaseVolume(image.volume);
  if (!slug) throw new AppError("VALIDATION", `The lab's image ${image.volume} is not named <catalogue slug>-base-<hash>.qcow2.`);
  const catalogued = await prisma.image.findUnique({ where: { slug } });
  if (!catalogued) throw new AppError("VALIDATION", `Image ${slug} is not in the catalogue.`);
  const copy = await prisma.imageCopy.findUnique({ where: { imageId_hostId: { imageId: catalogued.id, hostId: opts.hostId } } });
  const same =
    copy?.volume === image.volume &&
    copy.checksumSha256 === image.sha256 &&
    copy.kernelPath === image.kernelPath &&
    copy.initrdPath === image.initrdPath;
  if (same) return { slug, registered: false };
  await registerImage({
    prisma,
    principal: opts.principal,
    meta: opts.meta,
    sshPool: opts.sshPool,
    input: {
      hostId: opts.hostId,
      imageSlug: slug,
      pool: opts.storagePool,
      volume: image.volume,
      kernelPath: image.kernelPath,
      initrdPath: image.initrdPath,
      expectedSha256: image.sha256,
    },
  });
  return { slug, registered: true };
}
