import { downloadKubeconfig } from "@/lib/clusters/queries/download-kubeconfig";
import { apiRoute } from "@/app/_server/api";

/** The cluster's admin kubeconfig as a file (owners and members; every download is audited). */
export const GET = apiRoute<{ slug: string; id: string }>(async ({ prisma, principal, meta }, { slug, id }) => {
  const { name, kubeconfig } = await downloadKubeconfig({ prisma, principal, teamSlug: slug, clusterId: id, meta });
  return new Response(kubeconfig, {
    headers: {
      "content-type": "application/yaml; charset=utf-8",
      "content-disposition": `attachment; filename="${name}-kubeconfig.yaml"`,
      "cache-control": "no-store",
    },
  });
});
