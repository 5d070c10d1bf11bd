import { stringify } from "yaml";
import { z } from "zod";

// Image scanning (seed §2) with the Trivy operator, installed by k3s's built-in helm-controller.
// HelmChart is a k3s custom resource, so kubernetes-models has no schema for it: this zod schema
// is its boundary check instead.
export const helmChartSchema = z
  .object({
    apiVersion: z.literal("helm.cattle.io/v1"),
    kind: z.literal("HelmChart"),
    metadata: z.object({ name: z.string(), namespace: z.literal("kube-system") }),
    spec: z
      .object({
        chart: z.string(),
        repo: z.string().url(),
        version: z.string(),
        targetNamespace: z.string(),
        createNamespace: z.boolean(),
        valuesContent: z.string(),
      })
      .strict(),
  })
  .strict();
export type HelmChart = z.infer<typeof helmChartSchema>;

/** Scanner settings: report HIGH and CRITICAL findings that have a fix. */
const TRIVY_VALUES = {
  trivy: { severity: "HIGH,CRITICAL", ignoreUnfixed: true },
  operator: { vulnerabilityScannerEnabled: true, scanJobsConcurrentLimit: 2 },
  excludeNamespaces: "kube-system,falco",
};

/** A chart for k3s's helm-controller to install into its own (pre-created) namespace. */
export function helmChart(opts: { name: string; repo: string; version: string; targetNamespace: string; values: object }): HelmChart {
  return helmChartSchema.parse({
    apiVersion: "helm.cattle.io/v1",
    kind: "HelmChart",
    metadata: { name: opts.name, namespace: "kube-system" },
    spec: {
      chart: opts.name,
      repo: opts.repo,
      version: opts.version,
      targetNamespace: opts.targetNamespace,
      createNamespace: false,
      valuesContent: stringify(opts.values),
    },
  });
}

export function trivyOperatorChart(version: string): HelmChart {
  return helmChart({
    name: "trivy-operator",
    repo: "https://aquasecurity.github.io/helm-charts/",
    version,
    targetNamespace: "trivy-system",
    values: TRIVY_VALUES,
  });
}
