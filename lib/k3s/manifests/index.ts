import { stringify } from "yaml";
import type { K3sCluster } from "../inputs";
import { falcoManifests } from "./falco";
import { imageAdmissionPolicy, kyvernoChart } from "./image-admission";
import { helmChartSchema, trivyOperatorChart } from "./image-scanning";
import { systemNamespace, tenantNamespace } from "./namespaces";
import { systemNetworkPolicies, tenantNetworkPolicies } from "./network-policies";
import { podHardeningPolicy } from "./pod-policy";

type Validatable = { validate(): void; toJSON(): unknown };
export type ManifestFile = { name: string; objects: unknown[] };

const plain = (objs: Validatable[]) =>
  objs.map((o) => {
    o.validate(); // throws on anything the Kubernetes OpenAPI schema rejects
    return JSON.parse(JSON.stringify(o.toJSON())) as unknown;
  });

/** The manifests k3s applies from server/manifests, every object schema-checked (pure). */
export function buildK3sManifests(c: K3sCluster): ManifestFile[] {
  return [
    {
      name: "skjold-namespaces.yaml",
      objects: plain([
        ...c.tenantNamespaces.map(tenantNamespace),
        systemNamespace("falco", "privileged"),
        systemNamespace("trivy-system", "baseline"),
        systemNamespace("kyverno", "baseline"),
      ]),
    },
    {
      name: "skjold-network-policies.yaml",
      objects: plain([...systemNetworkPolicies(), ...c.tenantNamespaces.flatMap(tenantNetworkPolicies)]),
    },
    { name: "skjold-pod-hardening.yaml", objects: plain(podHardeningPolicy()) },
    { name: "skjold-falco.yaml", objects: plain(falcoManifests(c.images.falco)) },
    { name: "skjold-trivy-operator.yaml", objects: [helmChartSchema.parse(trivyOperatorChart(c.trivyOperatorChartVersion))] },
    // k3s applies the policy once Kyverno's CRDs exist (its deploy controller retries until then).
    { name: "skjold-image-admission.yaml", objects: [kyvernoChart(c.kyvernoChartVersion), imageAdmissionPolicy(c.imageSigningKeys)] },
  ];
}

export function renderManifestFile(m: ManifestFile): string {
  return m.objects.map((o) => stringify(o, { lineWidth: 0 })).join("---\n");
}
