import { AttachPrivateNetworkInput, attachPrivateNetwork } from "@/lib/vms/private/change-private-network";
import { apiRoute } from "@/app/_server/api";

/** Members: puts a running or stopped VM on one more of the team's private networks (a vm.private-nic job); 202. */
export const POST = apiRoute(
  { team: "operate", body: AttachPrivateNetworkInput },
  async ({ prisma, principal, meta, body }, { slug, id }: { slug: string; id: string }) =>
    Response.json(await attachPrivateNetwork({ prisma, principal, teamSlug: slug, vmId: id, input: body, meta }), { status: 202 }),
);
