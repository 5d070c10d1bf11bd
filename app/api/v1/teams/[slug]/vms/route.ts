import { readPageQuery } from "@/lib/core/pagination";
import { placeOrder } from "@/lib/vms/order/place-order";
import { OrderVmInput } from "@/lib/vms/order/schemas";
import { listVms } from "@/lib/vms/queries/list-vms";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute<{ slug: string }>(async ({ prisma, principal, req }, { slug }) =>
  listVms({ prisma, principal, teamSlug: slug, page: readPageQuery(req.nextUrl.searchParams) }),
);

/** Orders a VM: 202 Accepted with the VM and the provisioning job to follow (…/vms/{id}/events). */
export const POST = apiRoute(
  { body: OrderVmInput, maxBytes: 8 * 1024 },
  async ({ prisma, principal, meta, body }, { slug }: { slug: string }) => {
    const { vm, jobId } = await placeOrder({ prisma, principal, teamSlug: slug, input: body, meta });
    return Response.json(
      {
        vmId: vm.id,
        jobId,
        vm: { id: vm.id, name: vm.name, state: vm.state },
        links: { self: `/api/v1/teams/${slug}/vms/${vm.id}`, events: `/api/v1/teams/${slug}/vms/${vm.id}/events` },
      },
      { status: 202, headers: { location: `/api/v1/teams/${slug}/vms/${vm.id}` } },
    );
  },
);
