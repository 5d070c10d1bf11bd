import { z } from "zod";
import { notFound } from "@/lib/core/errors";
import { VmPowerActionSchema } from "@/lib/vms/power/schemas";
import { vmPowerAction } from "@/lib/vms/power/vm-power-action";
import { apiRoute } from "@/app/_server/api";

const VmActionBody = z.strictObject({ action: VmPowerActionSchema });

/** POST {action: "start"|"shutdown"|"reboot"|"force-off"}: 202 with the job that carries it out. */
export const POST = apiRoute(
  { body: VmActionBody, maxBytes: 1024 },
  async ({ prisma, principal, meta, body }, { slug, id }: { slug: string; id: string }) => {
    if (!z.uuid().safeParse(id).success) throw notFound("VM not found");
    const { jobId } = await vmPowerAction({ prisma, principal, teamSlug: slug, vmId: id, action: body.action, meta });
    return Response.json({ jobId }, { status: 202 });
  },
);
