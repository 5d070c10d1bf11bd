import { readPageQuery } from "@/lib/core/pagination";
import { orderCluster } from "@/lib/clusters/order/order-cluster";
import { OrderClusterInput } from "@/lib/clusters/order/schemas";
import { listClusters } from "@/lib/clusters/queries/list-clusters";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute<{ slug: string }>(async ({ prisma, principal, req }, { slug }) =>
  listClusters({ prisma, principal, teamSlug: slug, page: readPageQuery(req.nextUrl.searchParams) }),
);

/** Orders a k3s cluster (one server, `agentCount` agents): 202 Accepted with the cluster, its node VMs and the job to follow. */
export const POST = apiRoute(
  { body: OrderClusterInput, maxBytes: 8 * 1024 },
  async ({ prisma, principal, meta, body }, { slug }: { slug: string }) => {
    const { cluster, vmId, agentVmIds, jobId } = await orderCluster({
      prisma,
      principal,
      teamSlug: slug,
      input: body,
      meta,
    });
    const self = `/api/v1/teams/${slug}/clusters/${cluster.id}`;
    return Response.json(
      {
        clusterId: cluster.id,
        serverVmId: vmId,
        agentVmIds,
        jobId,
        cluster: { id: cluster.id, name: cluster.name, state: cluster.state, k3sVersion: cluster.k3sVersion },
        links: { self, kubeconfig: `${self}/kubeconfig` },
      },
      { status: 202, headers: { location: self } },
    );
  },
);
