import { stringify } from "yaml";
import { z } from "zod";

// Image scanning (seed §2) with the Trivy operator, installed by k3s's built-in helm-controller.
// HelmChart is a k3s custom resource, so kubernetes-models has no schema for it: this zod schema
// is its boundary check instead.
export const helmChartSchema = z.object({
  apiVersion: z.literal("helm.cattle.io/v1"),
  kind: z.literal("HelmChart"),
  metadata: z.object({ name: z.string(), namespace: z.literal("kube-system") }),
  spec: z.object({
    chart: z.string(),
    repo: z.string().url(),
    version: z.string(),
    targetNamespace: z.string(),
    createNamespace: z.boolean(),
    valuesContent: z.string(),
  }).strict(),
}).strict();
export type HelmChart = z.infer<typeof helmChartSchema>;

/** Scanner settings: report HIGH and CRITICAL findings that have a fix. */
export const TRIVY_VALUES = {
  trivy: { severity: "HIGH,CRITICAL", ignoreUnfixed: true },
  operator: { vulnerabilityScannerEnabled: true, scanJobsConcurrentLimit: 2 },
  excludeNamespaces: "kube-system,falco",
};

export function trivyOperatorChart(version: string): HelmChart {
  return helmChartSchema.parse({
    apiVersion: "helm.cattle.io/v1",
    kind: "HelmChart",
    metadata: { name: "trivy-operator", namespace: "kube-system" },
    spec: {
      chart: "trivy-operator",
      repo: "https://aquasecurity.github.io/helm-charts/",
      version,
      targetNamespace: "trivy-system",
      createNamespace: false,
      valuesContent: stringify(TRIVY_VALUES),
    },
  });
}
