import { z } from "zod";
import { notFound } from "@/lib/core/errors";
import { resizeVm } from "@/lib/vms/resize/resize-vm";
import { ResizeVmInput } from "@/lib/vms/resize/schemas";
import { apiRoute } from "@/app/_server/api";

/** POST {planCode}: 202 with the job that grows the disk and sets vCPUs and memory for the next start. */
export const POST = apiRoute(
  { body: ResizeVmInput, maxBytes: 1024 },
  async ({ prisma, principal, meta, body }, { slug, id }: { slug: string; id: string }) => {
    if (!z.uuid().safeParse(id).success) throw notFound("VM not found");
    const { jobId } = await resizeVm({ prisma, principal, teamSlug: slug, vmId: id, input: body, meta });
    return Response.json({ jobId }, { status: 202 });
  },
);
