import { z } from "zod";
import { notFound } from "@/lib/core/errors";
import { deleteBackup } from "@/lib/vms/backup/delete-backup";
import { apiRoute } from "@/app/_server/api";

/** Deletes the backup's file from its target and closes its ledger entry: 202 with the jobId. */
export const DELETE = apiRoute<{ slug: string; id: string; backupId: string }>(
  async ({ prisma, principal, meta }, { slug, id, backupId }) => {
    if (!z.uuid().safeParse(id).success) throw notFound("VM not found");
    const { jobId } = await deleteBackup({ prisma, principal, teamSlug: slug, vmId: id, backupId, meta });
    return Response.json({ jobId }, { status: 202 });
  },
);
