import { z } from "zod";
import { ClusterActionBody } from "@/lib/clusters/shared/schemas";
import { retryCluster } from "@/lib/clusters/provision/retry-cluster";
import { verifyClusterNow } from "@/lib/clusters/verify/verify-cluster-now";
import { fromZod, notFound } from "@/lib/core/errors";
import { readJsonBody } from "@/lib/core/validation";
import { apiRoute } from "@/app/_server/api";

/** POST {action: "verify"} re-runs a ready cluster's checks; {action: "retry"} re-provisions a failed one. 202 with the job. */
export const POST = apiRoute<{ slug: string; id: string }>(async ({ prisma, principal, meta, req }, { slug, id }) => {
  if (!z.uuid().safeParse(id).success) throw notFound("Cluster not found");
  const parsed = ClusterActionBody.safeParse(await readJsonBody(req, 1024));
  if (!parsed.success) throw fromZod(parsed.error, "Cluster action");
  const ctx = { prisma, principal, teamSlug: slug, clusterId: id, meta };
  const { jobId } = parsed.data.action === "verify" ? await verifyClusterNow(ctx) : await retryCluster(ctx);
  return Response.json({ jobId }, { status: 202 });
});
