import type { HostContext } from "../../libvirt/virsh";
import { GUEST_TABLE, chainOf } from "../antispoof";
import type { GuestNicSetup } from "../host-nic";
import type { HostNicEvidence } from "./network-controls";

// Reads what the host enforces on a guest's tap, in one exec (nft needs root: `sudo -n`).

const SEP = "@@SKJOLD-NIC@@";

export async function readHostNicEvidence(opts: HostContext & { nic: Pick<GuestNicSetup, "tap" | "mode"> }): Promise<HostNicEvidence> {
  const { tap, mode } = opts.nic;
  const fam = mode === "bridged" ? "bridge" : "inet";
  const script = [
    `sudo -n nft list chain ${fam} ${GUEST_TABLE} ${chainOf(tap)} 2>/dev/null`,
    `echo ${SEP}`,
    `sudo -n nft list map ${fam} ${GUEST_TABLE} ingress 2>/dev/null`,
    `echo ${SEP}`,
    mode === "routed" ? `sudo -n nft list chain arp ${GUEST_TABLE} ${chainOf(tap)} 2>/dev/null` : "true",
    `echo ${SEP}`,
    `ip -o link show dev ${tap} 2>/dev/null`,
    "true",
  ].join("\n");
  const r = await opts.pool.exec({ target: opts.target, argv: ["sh", "-s"], stdin: script, step: `read the filter of ${tap}` });
  const [chain = "", map = "", arpChain = "", link = ""] = r.stdout.split(`${SEP}\n`);
  return { chain, map, arpChain, link };
}
