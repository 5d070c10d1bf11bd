import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";

// The NetworkPolicies are evaluated with the semantics of networking.k8s.io/v1 (a pod selected by a
// policy of a type is isolated for that direction; a flow needs the source's egress and the
// destination's ingress allowed). The tests list every flow Skjold needs and flows it must not have.

type Labels = Record<string, string>;
interface Selector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface Rule {
  ports?: { protocol?: string; port?: number }[];
  to?: Peer[];
  from?: Peer[];
}
interface Policy {
  metadata: { namespace: string };
  spec: { podSelector: Selector; policyTypes: ("Ingress" | "Egress")[]; ingress?: Rule[]; egress?: Rule[] };
}
type Endpoint = { ns: string; nsLabels: Labels; labels: Labels } | { ip: string };

const policies = parseAllDocuments(readFileSync(path.resolve(import.meta.dirname, "../../deploy/k8s/networkpolicies.yaml"), "utf8")).map(
  (d) => d.toJS() as Policy,
);

function matches(sel: Selector, labels: Labels): boolean {
  const byLabel = Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return (
    byLabel &&
    (sel.matchExpressions ?? []).every(({ key, operator, values = [] }) =>
      operator === "In"
        ? values.includes(labels[key]!)
        : operator === "NotIn"
          ? !values.includes(labels[key]!)
          : operator === "Exists"
            ? key in labels
            : !(key in labels),
    )
  );
}

const ipToInt = (ip: string) => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipToInt(ip) / size) === Math.floor(ipToInt(base!) / size);
}

function peerMatches(peer: Peer, ns: string, other: Endpoint): boolean {
  if ("ip" in other)
    return !!peer.ipBlock && inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(other.ip, c));
  if (peer.ipBlock) return false;
  const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, other.nsLabels) : other.ns === ns;
  return nsOk && (!peer.podSelector || matches(peer.podSelector, other.labels));
}

function sideAllows(self: Endpoint, dir: "Ingress" | "Egress", other: Endpoint, port: number, protocol: string): boolean {
  if ("ip" in self) return true;
  const applicable = policies.filter(
    (p) => p.metadata.namespace === self.ns && p.spec.policyTypes.includes(dir) && matches(p.spec.podSelector, self.labels),
  );
  if (applicable.length === 0) return true;
  return applicable.some((p) =>
    (dir === "Ingress" ? p.spec.ingress : p.spec.egress)?.some((rule) => {
      const peers = dir === "Ingress" ? rule.from : rule.to;
      const peerOk = !peers?.length || peers.some((peer) => peerMatches(peer, self.ns, other));
      const portOk =
        !rule.ports?.length || rule.ports.some((p) => (p.protocol ?? "TCP") === protocol && (p.port === undefined || p.port === port));
      return peerOk && portOk;
    }),
  );
}

const flow = (src: Endpoint, dst: Endpoint, port: number, protocol = "TCP") =>
  sideAllows(src, "Egress", dst, port, protocol) && sideAllows(dst, "Ingress", src, port, protocol);

const SKJOLD = { "kubernetes.io/metadata.name": "skjold" };
const KUBE_SYSTEM = { "kubernetes.io/metadata.name": "kube-system" };
const pod = (component: string): Endpoint => ({
  ns: "skjold",
  nsLabels: SKJOLD,
  labels: { "app.kubernetes.io/name": "skjold", "app.kubernetes.io/part-of": "skjold", "app.kubernetes.io/component": component },
});
const portal = pod("portal"),
  worker = pod("worker"),
  migrate = pod("migrate");
const database: Endpoint = { ns: "skjold", nsLabels: SKJOLD, labels: { "skjold.io/role": "database" } };
const traefik: Endpoint = { ns: "kube-system", nsLabels: KUBE_SYSTEM, labels: { "app.kubernetes.io/name": "traefik" } };
const dns: Endpoint = { ns: "kube-system", nsLabels: KUBE_SYSTEM, labels: { "k8s-app": "kube-dns" } };
const otherTenant: Endpoint = { ns: "tenant-a", nsLabels: { "kubernetes.io/metadata.name": "tenant-a" }, labels: { app: "web" } };
const stranger: Endpoint = { ns: "skjold", nsLabels: SKJOLD, labels: { app: "debug" } };
const libvirtHost: Endpoint = { ip: "198.51.100.7" }; // documentation range: evaluated, never contacted

describe("NetworkPolicies", () => {
  it("deny everything in and out by default", () => {
    const deny = policies.find((p) => Object.keys(p.spec.podSelector).length === 0);
    expect(deny?.spec.policyTypes.sort()).toEqual(["Egress", "Ingress"]);
    expect(deny?.spec.ingress ?? []).toEqual([]);
    expect(deny?.spec.egress ?? []).toEqual([]);
    expect(flow(stranger, libvirtHost, 22)).toBe(false);
    expect(flow(otherTenant, stranger, 8080)).toBe(false);
  });

  it("let the ingress controller reach the portal on its port, and nothing else reach it", () => {
    expect(flow(traefik, portal, 3000)).toBe(true);
    expect(flow(traefik, portal, 22)).toBe(false);
    expect(flow(otherTenant, portal, 3000)).toBe(false);
    expect(flow(stranger, portal, 3000)).toBe(false);
    expect(flow(traefik, worker, 3000)).toBe(false);
    expect(flow(portal, worker, 3000)).toBe(false);
  });

  it.each([
    ["portal", portal],
    ["worker", worker],
    ["migrate", migrate],
  ])("let the %s resolve names and reach PostgreSQL", (_, p) => {
    expect(flow(p, dns, 53, "UDP")).toBe(true);
    expect(flow(p, dns, 53, "TCP")).toBe(true);
    expect(flow(p, database, 5432)).toBe(true);
    expect(flow(p, database, 22)).toBe(false);
    expect(flow(p, { ip: "198.51.100.8" }, 5432)).toBe(false);
  });

  it("keep PostgreSQL closed to every other pod", () => {
    expect(flow(stranger, database, 5432)).toBe(false);
    expect(flow(otherTenant, database, 5432)).toBe(false);
  });

  it("let the portal and the worker reach hosts over SSH, and only over SSH", () => {
    for (const p of [portal, worker]) {
      expect(flow(p, libvirtHost, 22)).toBe(true);
      expect(flow(p, libvirtHost, 443)).toBe(false);
      expect(flow(p, libvirtHost, 16509)).toBe(false); // libvirt's TCP port: Skjold uses SSH only
      expect(flow(p, { ip: "10.42.0.15" }, 22)).toBe(false); // k3s pod network
      expect(flow(p, { ip: "10.43.0.1" }, 443)).toBe(false); // k3s service network (the API)
    }
    expect(flow(migrate, libvirtHost, 22)).toBe(false);
  });
});
