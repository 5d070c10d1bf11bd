import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Deployment } from "kubernetes-models/apps/v1";
import { Job } from "kubernetes-models/batch/v1";
import { Ingress, NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, Namespace, Service, ServiceAccount } from "kubernetes-models/v1";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";

// The k3s manifests, validated against the Kubernetes schemas (kubernetes-models) and checked for
// the seed's securityContext and Pod Security `restricted` on every workload.

const DIR = path.resolve(import.meta.dirname, "../../deploy/k8s");
type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: any;
};

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  "v1/Namespace": Namespace,
  "v1/ServiceAccount": ServiceAccount,
  "v1/ConfigMap": ConfigMap,
  "v1/Service": Service,
  "apps/v1/Deployment": Deployment,
  "batch/v1/Job": Job,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "networking.k8s.io/v1/Ingress": Ingress,
};

const kustomization = parse(readFileSync(path.join(DIR, "kustomization.yaml"), "utf8")) as { resources: string[] };
const manifests: Manifest[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(readFileSync(path.join(DIR, file), "utf8")).map((d) => d.toJS() as Manifest),
);
const workloads = manifests.filter((m) => m.kind === "Deployment" || m.kind === "Job");
const named = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name)!;
const podLabels = (name: string) => named("Deployment", name).spec.template.metadata.labels as Record<string, string>;
const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe("k3s manifests", () => {
  it("apply every manifest file in the folder", () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml");
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it.each(manifests.map((m) => [`${m.kind}/${m.metadata.name}`, m] as const))("%s is valid against the Kubernetes schema", (_, m) => {
    const Model = MODELS[`${m.apiVersion}/${m.kind}`];
    expect(Model, `no schema registered for ${m.apiVersion}/${m.kind}`).toBeDefined();
    expect(() => new Model!(m).validate()).not.toThrow();
    if (m.kind !== "Namespace") expect(m.metadata.namespace).toBe("skjold");
  });

  it("enforce Pod Security `restricted` on the namespace", () => {
    const labels = named("Namespace", "skjold").metadata.labels ?? {};
    expect(labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  it("run a portal, a worker and a migration Job", () => {
    expect(workloads.map((w) => `${w.kind}/${w.metadata.name}`).sort()).toEqual([
      "Deployment/skjold-portal",
      "Deployment/skjold-worker",
      "Job/skjold-migrate",
    ]);
    expect(named("Deployment", "skjold-worker").spec.template.spec.containers[0].command.join(" ")).toMatch(/scripts\/worker\.ts/);
    expect(named("Job", "skjold-migrate").spec.template.spec.containers[0].command.join(" ")).toMatch(/scripts\/migrate\.ts/);
  });

  describe.each(workloads.map((w) => [w.metadata.name, w] as const))("%s", (_, w) => {
    const pod = w.spec.template.spec;
    it("runs as a non-root user with RuntimeDefault seccomp at pod level", () => {
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      for (const id of ["runAsUser", "runAsGroup", "fsGroup"]) expect(pod.securityContext[id], id).toBeGreaterThanOrEqual(10000);
      expect(pod.hostNetwork ?? false).toBe(false);
      expect(pod.hostPID ?? false).toBe(false);
      expect(pod.hostIPC ?? false).toBe(false);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect((pod.volumes ?? []).every((v: object) => "emptyDir" in v)).toBe(true);
    });
    it("locks every container down: read-only root, no escalation, all capabilities dropped", () => {
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true });
        expect(c.securityContext.capabilities.drop).toEqual(["ALL"]);
        expect(c.securityContext.capabilities.add ?? []).toEqual([]);
        expect(c.securityContext.privileged ?? false).toBe(false);
        expect(c.resources.limits).toMatchObject({ cpu: expect.anything(), memory: expect.anything() });
        expect(c.image).not.toMatch(/:latest$|^[^:@]+$/);
        for (const p of c.ports ?? []) expect(p.containerPort).toBeGreaterThan(1024);
      }
    });
  });

  it("start only programs that exist in the image", () => {
    for (const w of workloads) {
      for (const c of w.spec.template.spec.containers) {
        const args: string[] = [
          ...c.command,
          ...["startupProbe", "readinessProbe", "livenessProbe"].flatMap((p) => c[p]?.exec?.command ?? []),
        ];
        for (const file of args.filter((a) => /^(scripts|deploy|node_modules)\//.test(a))) {
          expect(existsSync(path.resolve(DIR, "../..", file)), `${w.metadata.name}: ${file}`).toBe(true);
        }
      }
    }
  });

  it("probe the portal and the worker from inside the container", () => {
    for (const name of ["skjold-portal", "skjold-worker"]) {
      const c = named("Deployment", name).spec.template.spec.containers[0];
      const mode = name.replace("skjold-", "");
      for (const probe of ["readinessProbe", "livenessProbe"]) {
        expect(c[probe]?.exec?.command, `${name} ${probe}`).toEqual(["node", "deploy/healthcheck.mjs", mode]);
      }
    }
    expect(named("Deployment", "skjold-portal").spec.template.spec.containers[0].startupProbe).toBeDefined();
  });

  it("keep portal and worker available through drains", () => {
    for (const name of ["skjold-portal", "skjold-worker"]) {
      const pdb = named("PodDisruptionBudget", name);
      expect(selects(pdb.spec.selector.matchLabels, podLabels(name))).toBe(true);
      expect(named("Deployment", name).spec.replicas).toBeGreaterThan(1);
    }
    expect(named("PodDisruptionBudget", "skjold-portal").spec.minAvailable).toBeGreaterThanOrEqual(1);
  });

  it("route the Service and the Ingress to the portal only", () => {
    const svc = named("Service", "skjold-portal");
    expect(selects(svc.spec.selector, podLabels("skjold-portal"))).toBe(true);
    expect(selects(svc.spec.selector, podLabels("skjold-worker"))).toBe(false);
    expect(named("Ingress", "skjold-portal").spec.rules[0].http.paths[0].backend.service.name).toBe("skjold-portal");
  });

  it("run the migration Job once, without restarting forever", () => {
    const job = named("Job", "skjold-migrate").spec;
    expect(job.template.spec.restartPolicy).toBe("Never");
    expect(job.backoffLimit).toBeLessThanOrEqual(6);
    expect(job.activeDeadlineSeconds).toBeGreaterThan(0);
  });
});
