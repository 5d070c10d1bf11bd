import { deleteCluster } from "@/lib/clusters/delete-cluster";
import { getCluster } from "@/lib/clusters/queries";
import { apiRoute } from "../../../../../../_server/api";

export const GET = apiRoute<{ slug: string; id: string }>(async ({ prisma, principal }, { slug, id }) => ({
  cluster: await getCluster({ prisma, principal, teamSlug: slug, clusterId: id }),
}));

/** Deletes the cluster (its nodes through vm.delete jobs): 202 with those jobs. */
export const DELETE = apiRoute<{ slug: string; id: string }>(async ({ prisma, principal, meta }, { slug, id }) => {
  const { jobIds } = await deleteCluster({ prisma, principal, teamSlug: slug, clusterId: id, meta });
  return Response.json({ jobIds }, { status: 202 });
});
