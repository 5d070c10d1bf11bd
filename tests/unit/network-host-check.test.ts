import { describe, expect, it } from "vitest";
import { type HostNetworkFacts, hostNetworkProblems } from "@/lib/network/check-host-network";

const ready: HostNetworkFacts = {
  link: { ifname: "br0", linkinfo: { info_kind: "bridge" } },
  forward4: true,
  forward6: true,
  bridgeNf: true,
  tun: true,
  sudoIp: true,
  sudoNft: true,
};

describe("hostNetworkProblems", () => {
  it("finds a bridged host ready, and names the bridge when its frames would bypass the host firewall", () => {
    expect(hostNetworkProblems({ mode: "BRIDGED", device: "br0", facts: ready })).toEqual([]);
    const bypass = hostNetworkProblems({ mode: "BRIDGED", device: "br0", facts: { ...ready, bridgeNf: false } });
    expect(bypass).toEqual([{ field: "bridge", message: expect.stringContaining("net.bridge.bridge-nf-call-iptables=1") }]);
    // A routed host's taps are not bridged: br_netfilter does not concern it.
    const routed = { ...ready, link: { ifname: "eth0", linkinfo: {} }, bridgeNf: false };
    expect(hostNetworkProblems({ mode: "ROUTED", device: "eth0", facts: routed })).toEqual([]);
  });
});
