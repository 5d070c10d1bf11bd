import { deletePrivateNetwork } from "@/lib/network/private/delete-private-network";
import { getPrivateNetwork } from "@/lib/network/private/list-private-networks";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute({ team: "read" }, async ({ prisma, principal }, { slug, id }: { slug: string; id: string }) =>
  getPrivateNetwork({ prisma, principal, teamSlug: slug, networkId: id }),
);

/** Members: deletes a network no live VM is on (409 naming the VMs otherwise). */
export const DELETE = apiRoute({ team: "operate" }, async ({ prisma, principal, meta }, { slug, id }: { slug: string; id: string }) =>
  deletePrivateNetwork({ prisma, principal, teamSlug: slug, networkId: id, meta }),
);
