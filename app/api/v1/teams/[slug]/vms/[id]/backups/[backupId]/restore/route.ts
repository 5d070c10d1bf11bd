import { z } from "zod";
import { notFound } from "@/lib/core/errors";
import { restoreBackup } from "@/lib/vms/backup/restore-backup";
import { apiRoute } from "@/app/_server/api";

/** Restores the backup into its VM (checksums first, then stop, write back, start): 202 with the jobId. */
export const POST = apiRoute<{ slug: string; id: string; backupId: string }>(
  async ({ prisma, principal, meta }, { slug, id, backupId }) => {
    if (!z.uuid().safeParse(id).success) throw notFound("VM not found");
    const { jobId } = await restoreBackup({ prisma, principal, teamSlug: slug, vmId: id, backupId, meta });
    return Response.json({ jobId }, { status: 202 });
  },
);
