import { z } from "zod";
import { cidrSchema } from "../../guest/inputs";
import { k3sVersionSchema } from "../../k3s/inputs";
import { OrderVmInput } from "../../vms/order/schemas";

// What a tenant sends to order a k3s cluster (form and POST /api/v1/teams/{slug}/clusters alike).

/** The k3s release Skjold installs unless the order pins another (the operator's artifacts must match). */
export const DEFAULT_K3S_VERSION = "v1.31.4+k3s1";

const ClusterNameSchema = z
  .string()
  .max(40, "must be at most 40 characters")
  .regex(/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/, "use 1–40 lowercase letters, digits and inner dashes");

/** How many networks besides the nodes a cluster's API can be opened to. */
export const MAX_API_NETWORKS = 10;

/** A network the tenant opens the Kubernetes API to: a real prefix, never the whole internet. */
export const ApiSourceSchema = cidrSchema
  .refine((c) => Number(c.split("/")[1]) <= (c.includes(":") ? 128 : 32), "has a prefix length longer than the address")
  .refine((c) => Number(c.split("/")[1]) > 0, "would open the Kubernetes API to every address on the internet; name your own networks");

export const OrderClusterInput = z.strictObject({
  name: ClusterNameSchema,
  regionCode: OrderVmInput.shape.regionCode,
  planCode: OrderVmInput.shape.planCode,
  imageSlug: OrderVmInput.shape.imageSlug,
  sshKeyId: OrderVmInput.shape.sshKeyId,
  k3sVersion: k3sVersionSchema.default(DEFAULT_K3S_VERSION),
  /** Worker nodes besides the one server (each is its own VM, placed and billed like any other). */
  agentCount: z.number().int().min(0).max(3).default(0),
  /** Networks (CIDR) that may reach the Kubernetes API on 6443 besides the nodes; empty: nodes only. */
  apiAllowFrom: z.array(ApiSourceSchema).max(MAX_API_NETWORKS, `at most ${MAX_API_NETWORKS} networks`).default([]),
});
export type OrderClusterInput = z.infer<typeof OrderClusterInput>;

/** The server node's VM name: the cluster's name plus a fixed suffix (fits a 63-character label). */
export const serverNodeName = (cluster: string) => `${cluster}-server`;

/** The i-th agent node's VM name (i counts from 1): `<cluster>-agent-<i>`. */
export const agentNodeName = (cluster: string, i: number) => `${cluster}-agent-${i}`;
