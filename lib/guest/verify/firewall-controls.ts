import { control, type ControlResult } from "../report";
import type { GuestEvidence } from "./guest-evidence";
import type { GuestExpectations } from "./guest-controls";

/** Splits `nft list ruleset` into chains: `family table/chain` → body lines. */
function parseNftChains(ruleset: string): Map<string, string[]> {
  const chains = new Map<string, string[]>();
  let table = "";
  let chain: string | null = null;
  for (const raw of ruleset.split("\n")) {
    const l = raw.trim();
    const t = /^table (\S+) (\S+) \{$/.exec(l);
    if (t) {
      table = `${t[1]} ${t[2]}`;
      continue;
    }
    const c = /^chain (\S+) \{$/.exec(l);
    if (c) {
      chain = `${table}/${c[1]}`;
      chains.set(chain, []);
      continue;
    }
    if (l === "}") {
      chain = null;
      continue;
    }
    if (chain && l) chains.get(chain)!.push(l);
  }
  return chains;
}

const isInputDrop = (body: string[]) => body.some((l) => /type filter hook input .*policy drop;/.test(l));

export function firewallControls(e: GuestEvidence, expect: GuestExpectations): ControlResult[] {
  const chains = parseNftChains(e.nftRuleset);
  const inputs = [...chains.entries()].filter(([, b]) => b.some((l) => /hook input/.test(l)));
  const dropping = inputs.filter(([, b]) => isInputDrop(b));
  const rules = dropping.flatMap(([, b]) => b);
  const port = expect.sshPort ?? 22;
  const k3s = expect.role !== "vm";
  const portRules = (p: string) => rules.filter((l) => new RegExp(`dport ${p}\\b.*accept`).test(l));
  const openToAll = (p: string) => portRules(p).some((l) => !/saddr/.test(l));
  const k3sPorts = ["6443", "10250", "8472"];
  return [
    control({
      id: "fw.default-deny-inbound",
      title: "Inbound traffic is denied by default",
      references: ["CIS Debian 12 4.3.x", "seed §4"],
      evidence: inputs.map(([n, b]) => `${n}: ${b[0] ?? ""}`).join("; ") || "no input chain",
      ok: dropping.length > 0,
    }),
    control({
      id: "fw.ssh-allowed",
      title: `SSH (port ${port}) is allowed in`,
      references: ["CIS Debian 12 4.3.x"],
      evidence: portRules(String(port)).join("; "),
      ok: portRules(String(port)).length > 0,
    }),
    control({
      id: "fw.k3s-ports",
      title: "k3s ports are open only to the cluster's nodes (the API also to the tenant's own networks)",
      references: ["k3s docs: inbound rules for k3s nodes", "seed §5"],
      evidence: k3sPorts.map((p) => `${p}: ${portRules(p).join(" | ") || "closed"}`).join("; "),
      ok: k3s ? !k3sPorts.some(openToAll) : !k3sPorts.some((p) => portRules(p).length > 0),
    }),
    control({
      id: "fw.persistent",
      title: "The firewall is loaded at boot",
      references: ["CIS Debian 12 4.3.x"],
      evidence: `nftables.service ${e.units["nftables.service"] ?? "?"}`,
      ok: e.units["nftables.service"] === "enabled",
    }),
  ];
}
