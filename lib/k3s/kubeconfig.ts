import { parseDocument } from "yaml";
import { z } from "zod";
import { AppError } from "../core/errors";
import { runRootScript, type GuestShell, type Privilege } from "../guest/shell";
import { KUBECONFIG } from "./paths";

const kubeconfigSchema = z
  .object({
    apiVersion: z.literal("v1"),
    kind: z.literal("Config"),
    clusters: z.array(z.object({ name: z.string(), cluster: z.object({ server: z.string().url() }).passthrough() })).min(1),
    users: z.array(z.object({ name: z.string() }).passthrough()).min(1),
  })
  .passthrough();

/** Points every cluster entry at the address clients use (k3s writes https://127.0.0.1:6443). Pure. */
export function rewriteKubeconfigServer(opts: { kubeconfig: string; apiAddress: string; port?: number }): string {
  const doc = parseDocument(opts.kubeconfig);
  const parsed = kubeconfigSchema.safeParse(doc.toJS());
  if (!parsed.success) throw new AppError("HOST_COMMAND_FAILED", "The kubeconfig on the guest is not a valid kubeconfig");
  const host = opts.apiAddress.includes(":") && !opts.apiAddress.startsWith("[") ? `[${opts.apiAddress}]` : opts.apiAddress;
  for (const [i] of parsed.data.clusters.entries()) doc.setIn(["clusters", i, "cluster", "server"], `https://${host}:${opts.port ?? 6443}`);
  return doc.toString();
}

/** Reads /etc/rancher/k3s/k3s.yaml over SSH and returns it rewritten; the caller stores it encrypted. Never logged. */
export async function fetchKubeconfig(opts: {
  shell: GuestShell;
  apiAddress: string;
  port?: number;
  privilege?: Privilege;
}): Promise<string> {
  const { stdout } = await runRootScript({
    shell: opts.shell,
    privilege: opts.privilege,
    script: `cat ${KUBECONFIG}\n`,
    what: "Reading the kubeconfig",
  });
  return rewriteKubeconfigServer({ kubeconfig: stdout, apiAddress: opts.apiAddress, port: opts.port });
}
