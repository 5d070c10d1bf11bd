import { z } from "zod";

/** What "cluster.provision" and "cluster.verify" jobs carry: the cluster (its rows hold the rest). */
export const ProvisionClusterPayload = z.strictObject({ clusterId: z.uuid() });
export type ProvisionClusterPayload = z.infer<typeof ProvisionClusterPayload>;

/** POST …/clusters/{id}/actions: re-run a ready cluster's checks, or retry a failed one. */
export const ClusterActionBody = z.strictObject({ action: z.enum(["verify", "retry"]) });
