import { readJsonBody } from "@/lib/core/validation";
import { placeOrder } from "@/lib/vms/order/place-order";
import { listVms } from "@/lib/vms/queries/list-vms";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute<{ slug: string }>(async ({ prisma, principal }, { slug }) => ({
  vms: await listVms({ prisma, principal, teamSlug: slug }),
}));

/** Orders a VM: 202 Accepted with the VM and the provisioning job to follow (…/vms/{id}/events). */
export const POST = apiRoute<{ slug: string }>(async ({ prisma, principal, meta, req }, { slug }) => {
  const { vm, jobId } = await placeOrder({ prisma, principal, teamSlug: slug, input: await readJsonBody(req, 8 * 1024), meta });
  return Response.json(
    {
      vmId: vm.id,
      jobId,
      vm: { id: vm.id, name: vm.name, state: vm.state },
      links: { self: `/api/v1/teams/${slug}/vms/${vm.id}`, events: `/api/v1/teams/${slug}/vms/${vm.id}/events` },
    },
    { status: 202, headers: { location: `/api/v1/teams/${slug}/vms/${vm.id}` } },
  );
});
