import { z } from "zod";
import { ClusterActionBody } from "@/lib/clusters/shared/schemas";
import { retryCluster } from "@/lib/clusters/provision/retry-cluster";
import { verifyClusterNow } from "@/lib/clusters/verify/verify-cluster-now";
import { notFound } from "@/lib/core/errors";
import { apiRoute } from "@/app/_server/api";

/** POST {action: "verify"} re-runs a ready cluster's checks; {action: "retry"} re-provisions a failed one. 202 with the job. */
export const POST = apiRoute(
  { body: ClusterActionBody, maxBytes: 1024 },
  async ({ prisma, principal, meta, body }, { slug, id }: { slug: string; id: string }) => {
    if (!z.uuid().safeParse(id).success) throw notFound("Cluster not found");
    const ctx = { prisma, principal, teamSlug: slug, clusterId: id, meta };
    const { jobId } = body.action === "verify" ? await verifyClusterNow(ctx) : await retryCluster(ctx);
    return Response.json({ jobId }, { status: 202 });
  },
);
