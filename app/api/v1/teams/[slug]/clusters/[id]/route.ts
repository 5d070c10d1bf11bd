import { setClusterApiAccess, UpdateClusterInput } from "@/lib/clusters/api-access/set-cluster-api-access";
import { deleteCluster } from "@/lib/clusters/delete/delete-cluster";
import { getCluster } from "@/lib/clusters/queries/get-cluster";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute<{ slug: string; id: string }>(async ({ prisma, principal }, { slug, id }) => ({
  cluster: await getCluster({ prisma, principal, teamSlug: slug, clusterId: id }),
}));

/** Deletes the cluster (its nodes through vm.delete jobs): 202 with those jobs. */
export const DELETE = apiRoute<{ slug: string; id: string }>(async ({ prisma, principal, meta }, { slug, id }) => {
  const { jobIds } = await deleteCluster({ prisma, principal, teamSlug: slug, clusterId: id, meta });
  return Response.json({ jobIds }, { status: 202 });
});

/** PATCH {apiAllowFrom: [CIDR…]}: the networks besides the nodes the API is open to; a ready cluster's firewall is re-applied (202 with the job). */
export const PATCH = apiRoute(
  { body: UpdateClusterInput, maxBytes: 4096 },
  async ({ prisma, principal, meta, body }, { slug, id }: { slug: string; id: string }) => {
    const r = await setClusterApiAccess({ prisma, principal, teamSlug: slug, clusterId: id, meta, input: body });
    return Response.json(r, { status: r.jobId ? 202 : 200 });
  },
);
