import { Namespace } from "kubernetes-models/v1";

type Level = "restricted" | "baseline" | "privileged";

const psaLabels = (enforce: Level): Record<string, string> => ({
  "pod-security.kubernetes.io/enforce": enforce,
  "pod-security.kubernetes.io/enforce-version": "latest",
  "pod-security.kubernetes.io/audit": "restricted",
  "pod-security.kubernetes.io/warn": "restricted",
});

/** Tenant namespaces labelled for Pod Security `restricted` (seed §1). */
export function tenantNamespace(name: string): Namespace {
  return new Namespace({ metadata: { name, labels: { ...psaLabels("restricted"), "skjold.io/tenant-namespace": "true" } } });
}

/** Falco reads the host kernel and must run privileged; its namespace says so explicitly. */
export function systemNamespace(name: "falco" | "trivy-system" | "kyverno", enforce: Level): Namespace {
  return new Namespace({ metadata: { name, labels: psaLabels(enforce) } });
}
