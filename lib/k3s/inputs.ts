import { z } from "zod";
import { cidrSchema, hostnameSchema } from "../guest/inputs";
import { signingPublicKeysSchema } from "./signing-keys";

/** A pinned k3s release, e.g. v1.31.4+k3s1 (1.30 or newer: ValidatingAdmissionPolicy is GA there). */
export const k3sVersionSchema = z
  .string()
  .regex(/^v1\.(3[0-9]|[4-9][0-9])\.\d+\+k3s\d+$/, "must be a pinned k3s release v1.30 or newer, e.g. v1.31.4+k3s1");

const tenantNamespaceSchema = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a Kubernetes namespace name")
  .refine((n) => !n.startsWith("kube-") && !["default", "falco", "trivy-system", "kyverno", "skjold-system"].includes(n), "is reserved");

const imageRefSchema = z
  .string()
  .regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+(:[A-Za-z0-9._-]+)?(@sha256:[a-f0-9]{64})?$/, "must be an image reference");

export const k3sClusterSchema = z.object({
  version: k3sVersionSchema,
  role: z.enum(["server", "agent"]).default("server"),
  /** air-gap: artifacts from the operator's folder; online: from the release over the guest's internet. */
  install: z.discriminatedUnion("mode", [
    z.object({ mode: z.literal("airgap"), artifactsDir: z.string().min(1) }),
    z.object({ mode: z.literal("online") }),
  ]),
  nodeName: hostnameSchema,
  /** Address clients use for the API; written into the kubeconfig and the serving certificate. */
  apiAddress: z.string().min(1).max(253),
  tenantNamespaces: z.array(tenantNamespaceSchema).max(50).default(["apps"]),
  clusterCidr: cidrSchema.default("10.42.0.0/16"),
  serviceCidr: cidrSchema.default("10.43.0.0/16"),
  /** Images for the add-ons; in air-gap mode the operator mirrors them (see docs/k3s.md). */
  images: z
    .object({
      falco: imageRefSchema.default("docker.io/falcosecurity/falco:0.39.2"),
    })
    .default({ falco: "docker.io/falcosecurity/falco:0.39.2" }),
  /** Helm chart versions k3s's helm-controller installs for the scanner. */
  trivyOperatorChartVersion: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/)
    .default("0.24.1"),
  /** Helm chart version of Kyverno, the admission gate for signed, clean image scans (3.5.2 = Kyverno 1.15.2). */
  kyvernoChartVersion: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/)
    .default("3.5.2"),
  /** The team's cosign public keys: an image is admitted only with a clean Trivy scan signed by one of them. */
  imageSigningKeys: signingPublicKeysSchema.default([]),
});
export type K3sClusterInput = z.input<typeof k3sClusterSchema>;
export type K3sCluster = z.output<typeof k3sClusterSchema>;
