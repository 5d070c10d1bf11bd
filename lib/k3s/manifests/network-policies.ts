import { NetworkPolicy, type INetworkPolicyPort } from "kubernetes-models/networking.k8s.io/v1";

const NS_LABEL = "kubernetes.io/metadata.name";
const DNS_PORTS: INetworkPolicyPort[] = [
  { protocol: "UDP", port: 53 },
  { protocol: "TCP", port: 53 },
];

/** Per tenant namespace: deny all ingress, deny all egress except DNS to kube-dns (seed §5). */
export function tenantNetworkPolicies(namespace: string): NetworkPolicy[] {
  return [
    new NetworkPolicy({ metadata: { name: "default-deny-ingress", namespace }, spec: { podSelector: {}, policyTypes: ["Ingress"] } }),
    new NetworkPolicy({ metadata: { name: "default-deny-egress", namespace }, spec: { podSelector: {}, policyTypes: ["Egress"] } }),
    new NetworkPolicy({
      metadata: { name: "allow-dns-egress", namespace },
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { [NS_LABEL]: "kube-system" } },
                podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
              },
            ],
            ports: DNS_PORTS,
          },
        ],
      },
    }),
  ];
}

const intraNamespace = (namespace: string) =>
  new NetworkPolicy({
    metadata: { name: "intra-namespace", namespace },
    spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NS_LABEL]: namespace } } }] }] },
  });

const allowAllTo = (name: string, matchLabels: Record<string, string>) =>
  new NetworkPolicy({
    metadata: { name, namespace: "kube-system" },
    spec: { podSelector: { matchLabels }, ingress: [{}], policyTypes: ["Ingress"] },
  });

/** The system namespaces' policies from the k3s CIS hardening guide ("NetworkPolicies"). */
export function systemNetworkPolicies(): NetworkPolicy[] {
  return [
    intraNamespace("kube-system"),
    intraNamespace("default"),
    intraNamespace("kube-public"),
    new NetworkPolicy({
      metadata: { name: "default-network-dns-policy", namespace: "kube-system" },
      spec: { podSelector: { matchLabels: { "k8s-app": "kube-dns" } }, ingress: [{ ports: DNS_PORTS }], policyTypes: ["Ingress"] },
    }),
    allowAllTo("allow-all-metrics-server", { "k8s-app": "metrics-server" }),
    allowAllTo("allow-all-svclbtraefik-ingress", { "svccontroller.k3s.cattle.io/svcname": "traefik" }),
    allowAllTo("allow-all-traefik-v121-ingress", { "app.kubernetes.io/name": "traefik" }),
  ];
}
