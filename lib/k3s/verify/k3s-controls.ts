import { parse } from "yaml";
import { control, summariseControls, type ControlResult, type HardeningReportData } from "../../guest/report";
import { AUDIT_LOG, KUBECONFIG, K3S_CONFIG, SERVER_DIR } from "../paths";
import { IMAGE_GATE_POLICY } from "../manifests/image-admission";
import { judgeImageGate } from "./image-gate";
import type { K3sEvidence, KubeObject } from "./k3s-evidence";

const G = "k3s CIS hardening guide";

/** Evaluates the k3s controls against evidence read from the server (pure). */
export function evaluateK3sControls(opts: { evidence: K3sEvidence; tenantNamespaces: string[] }): HardeningReportData {
  const e = opts.evidence;
  const cfg = e.config ?? {};
  const args = (k: string) => (Array.isArray(cfg[k]) ? (cfg[k] as unknown[]).map(String) : []);
  const api = args("kube-apiserver-arg");
  const apiVal = (k: string) => api.find((a) => a.startsWith(`${k}=`))?.slice(k.length + 1) ?? "";
  const find = (kind: string, ns?: string) => e.objects.filter((o) => o.kind === kind && (ns === undefined || o.metadata.namespace === ns));
  const names = (os: KubeObject[]) => os.map((o) => o.metadata.name);
  const admission = safeYaml(e.admissionConfig);
  const psaDefaults = JSON.stringify(admission).match(/"defaults":\{[^}]*\}/)?.[0] ?? "";
  const exemptions = JSON.stringify(admission).match(/"namespaces":\[[^\]]*\]/)?.[0] ?? "";
  const plugins = apiVal("enable-admission-plugins").split(",");
  const nsObjs = find("Namespace");
  const tenantNs = opts.tenantNamespaces.map((n) => nsObjs.find((o) => o.metadata.name === n));
  const policies = (ns: string) => find("NetworkPolicy", ns);
  const specOf = (o: KubeObject) => (o as unknown as { spec?: Record<string, unknown> }).spec ?? {};
  const denies = (ns: string, type: "Ingress" | "Egress") =>
    policies(ns).some((p) => {
      const s = specOf(p);
      return (
        JSON.stringify(s.podSelector ?? null) === "{}" &&
        (s.policyTypes as string[] | undefined)?.includes(type) &&
        !(type === "Ingress" ? s.ingress : s.egress)
      );
    });
  const vap = find("ValidatingAdmissionPolicy");
  const vapText = JSON.stringify(vap.map(specOf));
  const falcoRules = JSON.stringify(find("ConfigMap", "falco").map((o) => (o as unknown as { data?: unknown }).data));
  const trivy = find("HelmChart", "kube-system").find((o) => o.metadata.name === "trivy-operator");
  const trivyValues = JSON.stringify(trivy ? (specOf(trivy).valuesContent ?? "") : "");
  const kyverno = find("HelmChart", "kube-system").find((o) => o.metadata.name === "kyverno");
  const gate = judgeImageGate({
    policy: find("ClusterPolicy").find((o) => o.metadata.name === IMAGE_GATE_POLICY),
    kyvernoVersion: kyverno ? String(specOf(kyverno).version) : null,
  });

  const controls: ControlResult[] = [
    control({
      id: "k3s.api-ready",
      title: "The API server answers /readyz",
      references: [`${G}`],
      evidence: `readyz: ${e.readyz || "(no answer)"}`,
      ok: e.readyz === "ok",
    }),
    control({
      id: "k3s.protect-kernel-defaults",
      title: "protect-kernel-defaults is on",
      references: [`${G}: Host-level requirements`],
      evidence: `protect-kernel-defaults: ${String(cfg["protect-kernel-defaults"])}`,
      ok: cfg["protect-kernel-defaults"] === true,
    }),
    control({
      id: "k3s.secrets-encryption",
      title: "Secrets are encrypted at rest",
      references: [`${G}: Configuration for Kubernetes Components`, "CIS Kubernetes 1.2.33"],
      evidence: `secrets-encryption: ${String(cfg["secrets-encryption"])}`,
      ok: cfg["secrets-encryption"] === true,
    }),
    control({
      id: "k3s.admission-plugins",
      title: "NodeRestriction and EventRateLimit admission plugins are on",
      references: ["CIS Kubernetes 1.2.9", "CIS Kubernetes 1.2.15"],
      evidence: `enable-admission-plugins=${plugins.join(",")}`,
      ok: plugins.includes("NodeRestriction") && plugins.includes("EventRateLimit"),
    }),
    control({
      id: "k3s.psa-restricted",
      title: "Pod Security Admission enforces restricted (kube-system exempt)",
      references: [`${G}: Pod Security`, "seed §1"],
      evidence: `${psaDefaults}; ${exemptions}`,
      ok:
        /"enforce":"restricted"/.test(psaDefaults) &&
        exemptions.includes('"kube-system"') &&
        apiVal("admission-control-config-file") !== "",
    }),
    control({
      id: "k3s.audit-log",
      title: "API audit log with policy and rotation",
      references: [`${G}: API Server audit configuration`, "CIS Kubernetes 1.2.18-1.2.21"],
      evidence: api.filter((a) => a.startsWith("audit-")).join(" "),
      ok:
        apiVal("audit-log-path") === AUDIT_LOG &&
        apiVal("audit-policy-file") !== "" &&
        !!apiVal("audit-log-maxage") &&
        !!apiVal("audit-log-maxbackup") &&
        !!apiVal("audit-log-maxsize") &&
        /kind: Policy/.test(e.auditPolicy),
    }),
    control({
      id: "k3s.kubelet-args",
      title: "Kubelet streaming timeout and TLS ciphers are set",
      references: ["CIS Kubernetes 4.2.5", "CIS Kubernetes 4.2.12"],
      evidence: args("kubelet-arg").join(" "),
      ok:
        args("kubelet-arg").some((a) => a.startsWith("streaming-connection-idle-timeout=")) &&
        args("kubelet-arg").some((a) => a.startsWith("tls-cipher-suites=")),
    }),
    control({
      id: "k3s.gc-threshold",
      title: "Terminated pod GC threshold is set",
      references: ["CIS Kubernetes 1.3.1"],
      evidence: args("kube-controller-manager-arg").join(" "),
      ok: args("kube-controller-manager-arg").some((a) => a.startsWith("terminated-pod-gc-threshold=")),
    }),
    control({
      id: "k3s.kubeconfig-mode",
      title: "The admin kubeconfig is 600",
      references: ["CIS Kubernetes 1.1.x", `${G}`],
      evidence: `${KUBECONFIG} ${e.modes[KUBECONFIG] ?? "(missing)"}; write-kubeconfig-mode ${String(cfg["write-kubeconfig-mode"])}`,
      ok: e.modes[KUBECONFIG] === "600 root" && String(cfg["write-kubeconfig-mode"]) === "0600",
    }),
    control({
      id: "k3s.config-mode",
      title: "k3s configuration and audit log folder are private",
      references: [`${G}: API Server audit configuration`],
      evidence: `${K3S_CONFIG} ${e.modes[K3S_CONFIG] ?? "?"}; ${SERVER_DIR}/logs ${e.modes[`${SERVER_DIR}/logs`] ?? "?"}`,
      ok: e.modes[K3S_CONFIG] === "600 root" && e.modes[`${SERVER_DIR}/logs`] === "700 root",
    }),
    control({
      id: "k3s.namespaces-restricted",
      title: "Tenant namespaces are labelled restricted",
      references: ["seed §1", "Pod Security Standards"],
      evidence: opts.tenantNamespaces
        .map((n, i) => `${n}: ${tenantNs[i]?.metadata.labels?.["pod-security.kubernetes.io/enforce"] ?? "(missing)"}`)
        .join("; "),
      ok: tenantNs.every((n) => n?.metadata.labels?.["pod-security.kubernetes.io/enforce"] === "restricted"),
    }),
    control({
      id: "k3s.default-deny",
      title: "Tenant namespaces deny ingress and egress by default, DNS allowed out",
      references: ["seed §5", "CIS Kubernetes 5.3.2"],
      evidence: opts.tenantNamespaces.map((n) => `${n}: ${names(policies(n)).join(",") || "none"}`).join("; "),
      ok: opts.tenantNamespaces.every(
        (n) => denies(n, "Ingress") && denies(n, "Egress") && JSON.stringify(policies(n).map(specOf)).includes('"port":53'),
      ),
    }),
    control({
      id: "k3s.system-network-policies",
      title: "kube-system policies from the hardening guide are in place",
      references: [`${G}: NetworkPolicies`],
      evidence: names(policies("kube-system")).join(","),
      ok: ["intra-namespace", "default-network-dns-policy", "allow-all-metrics-server"].every((n) =>
        names(policies("kube-system")).includes(n),
      ),
    }),
    control({
      id: "k3s.pod-hardening-policy",
      title: "Pods must be non-root, read-only root, drop ALL, no privilege escalation",
      references: ["seed §1", "ValidatingAdmissionPolicy"],
      evidence: `${names(vap).join(",") || "no policy"}; bindings ${names(find("ValidatingAdmissionPolicyBinding")).join(",") || "none"}`,
      ok:
        vapText.includes("readOnlyRootFilesystem == true") &&
        vapText.includes("runAsNonRoot == true") &&
        vapText.includes("'ALL' in") &&
        vapText.includes("allowPrivilegeEscalation == false") &&
        find("ValidatingAdmissionPolicyBinding").some((b) => JSON.stringify(specOf(b)).includes('"Deny"')),
    }),
    control({
      id: "k3s.falco",
      title: "Falco runs with shell-in-container and /etc write rules",
      references: ["seed §3"],
      evidence: `daemonsets ${names(find("DaemonSet", "falco")).join(",") || "none"}`,
      ok:
        find("DaemonSet", "falco").length > 0 &&
        falcoRules.includes("Terminal shell in container") &&
        falcoRules.includes("Write below etc"),
    }),
    control({
      id: "k3s.image-admission",
      title: "Images without a clean signed scan (no fixable HIGH/CRITICAL) are refused",
      references: ["seed §2", "Kyverno verifyImages"],
      evidence: gate.evidence,
      ok: gate.enforced,
    }),
    control({
      id: "k3s.image-scanning",
      title: "Running images are re-scanned for fixable HIGH/CRITICAL findings",
      references: ["seed §2"],
      evidence: trivy ? `trivy-operator ${String(specOf(trivy).version)}: ${trivyValues}` : "no scanner",
      ok: !!trivy && trivyValues.includes("HIGH,CRITICAL") && trivyValues.includes("ignoreUnfixed: true"),
    }),
  ];
  return summariseControls("k3s", controls);
}

function safeYaml(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return null;
  }
}
