import { z } from "zod";
import { notFound } from "@/lib/core/errors";
import { backupVm } from "@/lib/vms/backup/backup-vm";
import { listVmBackups } from "@/lib/vms/backup/list-backups";
import { BackupVmInput } from "@/lib/vms/backup/schemas";
import { apiRoute } from "@/app/_server/api";

const vmId = (id: string) => {
  if (!z.uuid().safeParse(id).success) throw notFound("VM not found");
  return id;
};

/** The VM's backups, newest first, with their target's region, size, bytes moved and sha256. */
export const GET = apiRoute<{ slug: string; id: string }>(async ({ prisma, principal }, { slug, id }) => ({
  items: await listVmBackups({ prisma, principal, teamSlug: slug, vmId: vmId(id) }),
}));

/** POST {target}: 202 with the backup and the vm.backup job; a target outside the team's policy is refused (409 POLICY_VIOLATION). */
export const POST = apiRoute(
  { body: BackupVmInput, maxBytes: 1024 },
  async ({ prisma, principal, meta, body }, { slug, id }: { slug: string; id: string }) => {
    const r = await backupVm({ prisma, principal, teamSlug: slug, vmId: vmId(id), input: body, meta });
    return Response.json(r, { status: 202 });
  },
);
