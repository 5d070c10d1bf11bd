import { z } from "zod";
import { fromZod, notFound } from "@/lib/core/errors";
import { readJsonBody } from "@/lib/core/validation";
import { VmPowerActionSchema } from "@/lib/vms/power/schemas";
import { vmPowerAction } from "@/lib/vms/power/vm-power-action";
import { apiRoute } from "@/app/_server/api";

const VmActionBody = z.strictObject({ action: VmPowerActionSchema });

/** POST {action: "start"|"shutdown"|"reboot"|"force-off"}: 202 with the job that carries it out. */
export const POST = apiRoute<{ slug: string; id: string }>(async ({ prisma, principal, meta, req }, { slug, id }) => {
  if (!z.uuid().safeParse(id).success) throw notFound("VM not found");
  const parsed = VmActionBody.safeParse(await readJsonBody(req, 1024));
  if (!parsed.success) throw fromZod(parsed.error, "VM action");
  const { jobId } = await vmPowerAction({ prisma, principal, teamSlug: slug, vmId: id, action: parsed.data.action, meta });
  return Response.json({ jobId }, { status: 202 });
});
