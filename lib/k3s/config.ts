import { stringify } from "yaml";
import type { K3sCluster } from "./inputs";
import { AUDIT_LOG, AUDIT_POLICY, EVENT_RATE_CONFIG, K3S_CONFIG, PSA_CONFIG } from "./paths";

const KUBELET_TLS_CIPHERS = [
  "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
  "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305",
  "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
];

/** Namespaces that run system pods and may not meet `restricted`. */
export const PSA_EXEMPT_NAMESPACES = ["kube-system", "falco", "trivy-system", "kyverno"];

export type ConfigFile = { path: string; mode: string; content: string };

const kubeletArgs = () => [
  "streaming-connection-idle-timeout=5m",
  "make-iptables-util-chains=true",
  `tls-cipher-suites=${KUBELET_TLS_CIPHERS.join(",")}`,
];

/** /etc/rancher/k3s/config.yaml following the k3s CIS hardening guide (v1.25 and newer). */
export function buildK3sConfigYaml(c: K3sCluster): string {
  const agent = { "protect-kernel-defaults": true, "node-name": c.nodeName, "kubelet-arg": kubeletArgs() };
  if (c.role === "agent") return stringify(agent);
  return stringify({
    ...agent,
    "write-kubeconfig-mode": "0600",
    "secrets-encryption": true,
    "tls-san": [c.apiAddress],
    "cluster-cidr": c.clusterCidr,
    "service-cidr": c.serviceCidr,
    "kube-apiserver-arg": [
      "enable-admission-plugins=NodeRestriction,EventRateLimit",
      `admission-control-config-file=${PSA_CONFIG}`,
      `audit-log-path=${AUDIT_LOG}`,
      `audit-policy-file=${AUDIT_POLICY}`,
      "audit-log-maxage=30",
      "audit-log-maxbackup=10",
      "audit-log-maxsize=100",
      "request-timeout=300s",
      "service-account-lookup=true",
    ],
    "kube-controller-manager-arg": ["terminated-pod-gc-threshold=10", "use-service-account-credentials=true"],
  });
}

/** Admission configuration: PodSecurity enforcing `restricted` cluster-wide, plus EventRateLimit. */
export function buildAdmissionConfig(): string {
  return stringify({
    apiVersion: "apiserver.config.k8s.io/v1",
    kind: "AdmissionConfiguration",
    plugins: [
      {
        name: "PodSecurity",
        configuration: {
          apiVersion: "pod-security.admission.config.k8s.io/v1",
          kind: "PodSecurityConfiguration",
          defaults: {
            enforce: "restricted",
            "enforce-version": "latest",
            audit: "restricted",
            "audit-version": "latest",
            warn: "restricted",
            "warn-version": "latest",
          },
          exemptions: { usernames: [], runtimeClasses: [], namespaces: PSA_EXEMPT_NAMESPACES },
        },
      },
      { name: "EventRateLimit", path: EVENT_RATE_CONFIG },
    ],
  });
}

function buildEventRateLimitConfig(): string {
  return stringify({
    apiVersion: "eventratelimit.admission.k8s.io/v1alpha1",
    kind: "Configuration",
    limits: [
      { type: "Server", qps: 5000, burst: 20000 },
      { type: "Namespace", qps: 500, burst: 1000, cacheSize: 2000 },
    ],
  });
}

/** Audit policy: secrets and tokens at Metadata only (never their bodies), writes at Request level. */
function buildAuditPolicy(): string {
  return stringify({
    apiVersion: "audit.k8s.io/v1",
    kind: "Policy",
    omitStages: ["RequestReceived"],
    rules: [
      { level: "Metadata", resources: [{ group: "", resources: ["secrets", "configmaps", "serviceaccounts/token"] }] },
      { level: "None", users: ["system:kube-proxy"], verbs: ["watch"] },
      { level: "Request", verbs: ["create", "update", "patch", "delete", "deletecollection"] },
      { level: "Metadata" },
    ],
  });
}

/** Every configuration file k3s reads at start; a change to any of them restarts k3s. */
export function buildK3sConfigFiles(c: K3sCluster): ConfigFile[] {
  const files: ConfigFile[] = [{ path: K3S_CONFIG, mode: "600", content: buildK3sConfigYaml(c) }];
  if (c.role === "server") {
    files.push(
      { path: PSA_CONFIG, mode: "600", content: buildAdmissionConfig() },
      { path: EVENT_RATE_CONFIG, mode: "600", content: buildEventRateLimitConfig() },
      { path: AUDIT_POLICY, mode: "600", content: buildAuditPolicy() },
    );
  }
  return files;
}
