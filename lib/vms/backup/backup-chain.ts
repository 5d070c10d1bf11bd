import { AppError } from "../../core/errors";
import { errorMessage } from "../../core/error-text";
import type { PrismaClient } from "../../generated/prisma/client";

// A backup and the ones it builds on, oldest (the full one) first, and the check that each file is
// still what was recorded when it was taken.

export interface ChainLink {
  id: string;
  volume: string;
  sha256: string | null;
}

export async function loadBackupChain(prisma: PrismaClient, backupId: string) {
  const chain = [];
  let id: string | null = backupId;
  while (id) {
    const b: Awaited<ReturnType<typeof prisma.backup.findUniqueOrThrow>> = await prisma.backup.findUniqueOrThrow({ where: { id } });
    chain.unshift(b);
    id = b.parentId;
    if (chain.length > 1000) break;
  }
  return chain;
}

const shortId = (id: string) => id.slice(0, 8);

/**
 * The refusal for the first file of the chain that is missing or reads otherwise than recorded, or
 * null when every file matches. `found` is each file's sha256 as its host reads it now (null: gone).
 */
export function checksumRefusal(opts: {
  vmName: string;
  targetName: string;
  chain: readonly ChainLink[];
  found: ReadonlyMap<string, string | null>;
}): AppError | null {
  for (const link of opts.chain) {
    const now = opts.found.get(link.id) ?? null;
    const backup = shortId(link.id);
    if (now === null) {
      const params = { backup, name: opts.vmName, target: opts.targetName };
      return new AppError("CONFLICT", errorMessage("error.backup.fileMissing", params), { key: "error.backup.fileMissing", params });
    }
    if (!link.sha256 || now !== link.sha256) {
      const params = { backup, name: opts.vmName, target: opts.targetName, recorded: link.sha256 ?? "none", found: now };
      return new AppError("CONFLICT", errorMessage("error.backup.tampered", params), { key: "error.backup.tampered", params });
    }
  }
  return null;
}
