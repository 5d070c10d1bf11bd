import { z } from "zod";
import { notFound } from "@/lib/core/errors";
import { getVmDetail } from "@/lib/vms/queries/get-vm-detail";
import { deleteVm } from "@/lib/vms/delete/delete-vm";
import { apiRoute } from "@/app/_server/api";

const vmId = (id: string) => {
  if (!z.uuid().safeParse(id).success) throw notFound("VM not found");
  return id;
};

export const GET = apiRoute<{ slug: string; id: string }>(async ({ prisma, principal }, { slug, id }) => ({
  vm: await getVmDetail({ prisma, principal, teamSlug: slug, vmId: vmId(id) }),
}));

/** Deletes the VM (domain, disk, seed): 202 with the job that does it. */
export const DELETE = apiRoute<{ slug: string; id: string }>(async ({ prisma, principal, meta }, { slug, id }) => {
  const { jobId } = await deleteVm({ prisma, principal, teamSlug: slug, vmId: vmId(id), meta });
  return Response.json({ jobId }, { status: 202 });
});
