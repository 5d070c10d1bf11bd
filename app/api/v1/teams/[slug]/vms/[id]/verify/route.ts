import { z } from "zod";
import { notFound } from "@/lib/core/errors";
import { verifyVmNow } from "@/lib/vms/verify/verify-vm-now";
import { apiRoute } from "@/app/_server/api";

/** POST: re-run the hardening checks on a running VM; 202 with the "vm.verify" job (follow …/events). */
export const POST = apiRoute<{ slug: string; id: string }>(async ({ prisma, principal, meta }, { slug, id }) => {
  if (!z.uuid().safeParse(id).success) throw notFound("VM not found");
  const { jobId } = await verifyVmNow({ prisma, principal, teamSlug: slug, vmId: id, meta });
  return Response.json({ jobId }, { status: 202 });
});
