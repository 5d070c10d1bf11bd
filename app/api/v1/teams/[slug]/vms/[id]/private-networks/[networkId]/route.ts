import { detachPrivateNetwork } from "@/lib/vms/private/change-private-network";
import { apiRoute } from "@/app/_server/api";

/** Members: takes the VM off a private network (a vm.private-nic job); 202. */
export const DELETE = apiRoute(
  { team: "operate" },
  async ({ prisma, principal, meta }, { slug, id, networkId }: { slug: string; id: string; networkId: string }) =>
    Response.json(await detachPrivateNetwork({ prisma, principal, teamSlug: slug, vmId: id, networkId, meta }), { status: 202 }),
);
