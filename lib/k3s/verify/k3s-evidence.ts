import { parse } from "yaml";
import { z } from "zod";
import { runRootScript, type GuestShell, type Privilege } from "../../guest/shell";
import { buildSectionScript, newNonce, parseSections, type Section } from "../../guest/verify/sections";
import { AUDIT_POLICY, K3S_BIN, K3S_CONFIG, KUBECONFIG, PSA_CONFIG, SERVER_DIR } from "../paths";

const kubectl = (what: string) => `${K3S_BIN} kubectl get ${what} -o json`;

const K3S_SECTIONS: Section[] = [
  {
    name: "cmdline",
    command:
      "for p in $(pgrep -x k3s-server || pgrep -f '^/usr/local/bin/k3s (server|agent)' || true); do tr '\\0' ' ' < /proc/$p/cmdline; echo; done",
  },
  { name: "config", command: `cat ${K3S_CONFIG}` },
  { name: "admission", command: `cat ${PSA_CONFIG}` },
  { name: "audit", command: `cat ${AUDIT_POLICY}` },
  { name: "modes", command: `stat -c '%a %U %n' ${KUBECONFIG} ${K3S_CONFIG} ${SERVER_DIR}/logs` },
  { name: "readyz", command: `${K3S_BIN} kubectl get --raw /readyz` },
  { name: "namespaces", command: kubectl("namespaces") },
  { name: "netpol", command: kubectl("networkpolicies -A") },
  { name: "vap", command: kubectl("validatingadmissionpolicies,validatingadmissionpolicybindings") },
  { name: "falco", command: kubectl("daemonsets,configmaps -n falco") },
  { name: "helmcharts", command: kubectl("helmcharts.helm.cattle.io -n kube-system") },
  { name: "kyverno", command: kubectl("clusterpolicies.kyverno.io") },
];

const objectSchema = z
  .object({
    kind: z.string(),
    metadata: z
      .object({ name: z.string(), namespace: z.string().optional(), labels: z.record(z.string(), z.string()).optional() })
      .passthrough(),
  })
  .passthrough();
export type KubeObject = z.infer<typeof objectSchema>;

const k3sEvidenceSchema = z.object({
  cmdline: z.array(z.string()),
  config: z.record(z.string(), z.unknown()).nullable(),
  admissionConfig: z.string(),
  auditPolicy: z.string(),
  modes: z.record(z.string(), z.string()),
  readyz: z.string(),
  objects: z.array(objectSchema),
});
export type K3sEvidence = z.infer<typeof k3sEvidenceSchema>;

/** `kubectl get -o json` output: a List of items, or an error message (then no objects). */
function items(text: string): unknown[] {
  try {
    const j = JSON.parse(text) as { items?: unknown[] };
    return Array.isArray(j.items) ? j.items : [];
  } catch {
    return [];
  }
}

export function parseK3sEvidence(raw: Record<string, string>): K3sEvidence {
  const get = (n: string) => raw[n] ?? "";
  let config: Record<string, unknown> | null = null;
  try {
    const c = parse(get("config")) as unknown;
    config = c && typeof c === "object" ? (c as Record<string, unknown>) : null;
  } catch {
    config = null;
  }
  const modes: Record<string, string> = {};
  for (const l of get("modes").split("\n")) {
    const m = /^([0-7]{3,4}) (\S+) (\/\S+)$/.exec(l.trim());
    if (m) modes[m[3]!] = `${m[1]} ${m[2]}`;
  }
  const objects = ["namespaces", "netpol", "vap", "falco", "helmcharts", "kyverno"]
    .flatMap((s) => items(get(s)))
    .flatMap((o) => {
      const r = objectSchema.safeParse(o);
      return r.success ? [r.data] : [];
    });
  return k3sEvidenceSchema.parse({
    cmdline: get("cmdline")
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean),
    config,
    admissionConfig: get("admission"),
    auditPolicy: get("audit"),
    modes,
    readyz: get("readyz").trim(),
    objects,
  });
}

/** Reads the k3s server's real state (process, files, API objects) in ONE SSH exec. */
export async function collectK3sEvidence(opts: { shell: GuestShell; privilege?: Privilege }): Promise<K3sEvidence> {
  const nonce = newNonce();
  const { stdout } = await runRootScript({
    shell: opts.shell,
    privilege: opts.privilege,
    script: buildSectionScript(K3S_SECTIONS, nonce),
    what: "k3s evidence collection",
  });
  return parseK3sEvidence(
    parseSections(
      stdout,
      K3S_SECTIONS.map((s) => s.name),
      nonce,
    ),
  );
}
