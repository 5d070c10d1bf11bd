import { createBackupTarget } from "@/lib/backup-targets/create-backup-target";
import { listBackupTargets } from "@/lib/backup-targets/list-backup-targets";
import { CreateBackupTargetInput } from "@/lib/backup-targets/schemas";
import { apiRoute } from "@/app/_server/api";

/** Every backup target: host, pool, region, country and jurisdiction. */
export const GET = apiRoute({ role: "admin" }, async ({ prisma, principal }) => ({
  items: await listBackupTargets({ prisma, principal }),
}));

/** `{ name, host, pool }`: a registered host's storage pool becomes a backup target in the host's region; audited. */
export const POST = apiRoute({ role: "admin", body: CreateBackupTargetInput }, async ({ prisma, principal, meta, body }) =>
  Response.json({ target: await createBackupTarget({ prisma, principal, meta, input: body }) }, { status: 201 }),
);
