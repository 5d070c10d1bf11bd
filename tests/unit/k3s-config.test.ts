import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { parseChecksumList } from "@/lib/k3s/artifacts";
import { buildAdmissionConfig, buildK3sConfigFiles, buildK3sConfigYaml } from "@/lib/k3s/config";
import { k3sClusterSchema } from "@/lib/k3s/inputs";
import { buildK3sInstallScript } from "@/lib/k3s/install-script";
import { rewriteKubeconfigServer } from "@/lib/k3s/kubeconfig";
import { buildK3sManifests, renderManifestFile } from "@/lib/k3s/manifests";
import { evaluateK3sControls } from "@/lib/k3s/verify/k3s-controls";
import { parseK3sEvidence } from "@/lib/k3s/verify/k3s-evidence";
import type { ValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { spawnSync } from "node:child_process";

const cluster = k3sClusterSchema.parse({
  version: "v1.31.4+k3s1",
  nodeName: "k3s-1",
  apiAddress: "k3s-1.lab.skjold.test",
  install: { mode: "online" },
  tenantNamespaces: ["apps", "web"],
});
const config = parse(buildK3sConfigYaml(cluster));
const manifests = buildK3sManifests(cluster);
const objects = manifests.flatMap((m) => m.objects) as { kind: string; metadata: { name: string; namespace?: string } }[];

/** Evidence as the API would return it after k3s applied the manifests. */
function evidenceFrom(objs: unknown[]) {
  const list = (kinds: string[]) => JSON.stringify({ items: objs.filter((o) => kinds.includes((o as { kind: string }).kind)) });
  return parseK3sEvidence({
    cmdline: "/usr/local/bin/k3s server",
    config: buildK3sConfigYaml(cluster),
    admission: buildAdmissionConfig(),
    audit: buildK3sConfigFiles(cluster)[3]!.content,
    modes: "600 root /etc/rancher/k3s/k3s.yaml\n600 root /etc/rancher/k3s/config.yaml\n700 root /var/lib/rancher/k3s/server/logs",
    readyz: "ok",
    namespaces: list(["Namespace"]),
    netpol: list(["NetworkPolicy"]),
    vap: list(["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"]),
    falco: list(["DaemonSet", "ConfigMap"]),
    helmcharts: list(["HelmChart"]),
    kyverno: list(["ClusterPolicy"]),
  });
}
const failedWith = (objs: unknown[]) =>
  evaluateK3sControls({ evidence: evidenceFrom(objs), tenantNamespaces: ["apps", "web"] })
    .controls.filter((c) => c.status === "fail")
    .map((c) => c.id);

describe("k3s config.yaml", () => {
  it("carries every flag of the k3s CIS hardening guide", () => {
    expect(config).toMatchObject({ "protect-kernel-defaults": true, "secrets-encryption": true, "write-kubeconfig-mode": "0600" });
    expect(config["kube-apiserver-arg"]).toEqual(
      expect.arrayContaining([
        "enable-admission-plugins=NodeRestriction,EventRateLimit",
        "admission-control-config-file=/var/lib/rancher/k3s/server/psa.yaml",
        "audit-log-path=/var/lib/rancher/k3s/server/logs/audit.log",
        "audit-policy-file=/var/lib/rancher/k3s/server/audit.yaml",
        "audit-log-maxage=30",
        "audit-log-maxbackup=10",
        "audit-log-maxsize=100",
        "request-timeout=300s",
        "service-account-lookup=true",
      ]),
    );
    expect(config["kube-controller-manager-arg"]).toEqual(
      expect.arrayContaining(["terminated-pod-gc-threshold=10", "use-service-account-credentials=true"]),
    );
    expect(config["kubelet-arg"]).toEqual(
      expect.arrayContaining(["streaming-connection-idle-timeout=5m", "make-iptables-util-chains=true"]),
    );
    expect(config["kubelet-arg"].find((a: string) => a.startsWith("tls-cipher-suites="))).toContain(
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    );
  });
  it("enforces restricted Pod Security with kube-system exempt, and rate-limits events", () => {
    const adm = parse(buildAdmissionConfig());
    const psa = adm.plugins.find((p: { name: string }) => p.name === "PodSecurity").configuration;
    expect(psa.defaults).toMatchObject({ enforce: "restricted", audit: "restricted", warn: "restricted" });
    expect(psa.exemptions.namespaces).toContain("kube-system");
    expect(adm.plugins.find((p: { name: string }) => p.name === "EventRateLimit").path).toBe(
      "/var/lib/rancher/k3s/server/event-rate-limit.yaml",
    );
  });
});

describe("k3s manifests", () => {
  it("are all valid against the Kubernetes schemas and round-trip through YAML", () => {
    for (const m of manifests) {
      const docs = parseAllDocuments(renderManifestFile(m)).map((d) => d.toJS());
      expect(docs).toEqual(m.objects);
    }
    const policies = objects.filter((o) => o.kind === "NetworkPolicy");
    for (const p of policies) expect(() => new NetworkPolicy(p as never).validate()).not.toThrow();
    expect(() =>
      new NetworkPolicy({ ...(policies[0] as object), spec: { podSelector: {}, policyTypes: ["Sideways" as never] } }).validate(),
    ).toThrow();
    expect(objects.filter((o) => o.kind === "Namespace").map((o) => o.metadata.name)).toEqual([
      "apps",
      "web",
      "falco",
      "trivy-system",
      "kyverno",
    ]);
  });

  it("pass every k3s control when applied as written", () => {
    expect(failedWith(objects)).toEqual([]);
  });

  // seed §1: drop any one container rule from the admission policy and its control fails.
  it.each(["readOnlyRootFilesystem", "runAsNonRoot", "'ALL' in", "allowPrivilegeEscalation"])(
    "the pod policy without %s fails its control",
    (needle) => {
      const weakened = objects.map((o) => {
        if (o.kind !== "ValidatingAdmissionPolicy") return o;
        const p = structuredClone(o) as unknown as ValidatingAdmissionPolicy;
        p.spec!.validations = p.spec!.validations!.filter((v) => !v.expression.includes(needle));
        return p;
      });
      expect(failedWith(weakened)).toEqual(["k3s.pod-hardening-policy"]);
    },
  );

  it("seed §5: without default-deny egress, or with an unlabelled tenant namespace, their controls fail", () => {
    expect(
      failedWith(
        objects.filter((o) => !(o.kind === "NetworkPolicy" && o.metadata.name === "default-deny-egress" && o.metadata.namespace === "web")),
      ),
    ).toEqual(["k3s.default-deny"]);
    expect(failedWith(objects.filter((o) => !(o.kind === "Namespace" && o.metadata.name === "apps")))).toEqual([
      "k3s.namespaces-restricted",
    ]);
  });

  it("seed §2 and §3: the scanner gates HIGH/CRITICAL with a fix, Falco carries both rules", () => {
    expect(failedWith(objects.filter((o) => o.kind !== "HelmChart"))).toEqual(["k3s.image-admission", "k3s.image-scanning"]);
    expect(failedWith(objects.filter((o) => o.kind !== "ClusterPolicy"))).toEqual(["k3s.image-admission"]);
    const noShellRule = objects.map((o) => (o.kind === "ConfigMap" ? { ...o, data: { "falco.yaml": "" } } : o));
    expect(failedWith(noShellRule)).toEqual(["k3s.falco"]);
    expect(JSON.stringify(objects.find((o) => o.kind === "ConfigMap"))).toContain("Terminal shell in container");
  });
});

describe("k3s install pieces", () => {
  it("the install script is valid sh and passes the installer the pinned version without download", () => {
    const s = buildK3sInstallScript({ cluster, artifacts: [{ name: "k3s", sha256: "a".repeat(64) }] });
    expect(spawnSync("sh", ["-n"], { input: s }).status).toBe(0);
    expect(s).toContain("INSTALL_K3S_SKIP_DOWNLOAD=true INSTALL_K3S_VERSION=v1.31.4+k3s1 INSTALL_K3S_EXEC=server");
    expect(s).toContain("kubectl get --raw /readyz");
    expect(buildK3sInstallScript({ cluster, artifacts: "online" })).toContain("sha256sum -c");
  });
  it("refuses unpinned or old versions", () => {
    expect(k3sClusterSchema.safeParse({ ...cluster, version: "latest" }).success).toBe(false);
    expect(k3sClusterSchema.safeParse({ ...cluster, version: "v1.29.9+k3s1" }).success).toBe(false);
  });
  it("parses the release checksum list and rewrites the kubeconfig server", () => {
    expect(parseChecksumList(`${"b".repeat(64)}  k3s\n${"c".repeat(64)}  k3s-airgap-images-amd64.tar.zst\n`).get("k3s")).toBe(
      "b".repeat(64),
    );
    const kc =
      "apiVersion: v1\nkind: Config\nclusters:\n- name: default\n  cluster:\n    server: https://127.0.0.1:6443\nusers:\n- name: default\n  user: {}\n";
    expect(parse(rewriteKubeconfigServer({ kubeconfig: kc, apiAddress: "k3s-1.lab.skjold.test" })).clusters[0].cluster.server).toBe(
      "https://k3s-1.lab.skjold.test:6443",
    );
    expect(() => rewriteKubeconfigServer({ kubeconfig: "not: a kubeconfig", apiAddress: "x" })).toThrow(/not a valid kubeconfig/);
  });
});
