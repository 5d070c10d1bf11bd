import { describe, expect, it } from "vitest";
import { buildGuestFilter, buildGuestFilterRemoval } from "@/lib/network/antispoof";
import { buildGuestNicRemoval, buildGuestNicSetup } from "@/lib/network/host-nic";

// The rules' effect is proven on real guests (tests/integration/network-lab.test.ts); these check
// what each guest's chain must contain and that hostile values never reach the script.

const routed = {
  tap: "sk0123456789ab",
  mode: "routed" as const,
  mac: "52:54:00:aa:bb:cc",
  ipv4: "203.0.113.130",
  ipv6: "2001:db8:1100:1::/64",
};
const bridged = {
  tap: "sk0123456789ac",
  mode: "bridged" as const,
  mac: "52:54:00:aa:bb:cd",
  ipv4: "203.0.113.200",
  ipv6: "2001:db8:0:1::1000",
};

describe("guest anti-spoofing filter", () => {
  it("pins a routed guest to its MAC, /32, /64 and ARP identity, and keeps it off the host's services", () => {
    const nft = buildGuestFilter(routed);
    expect(nft).toContain("add rule inet skjold_guests vm_sk0123456789ab ether saddr != 52:54:00:aa:bb:cc drop");
    expect(nft).toContain("meta nfproto ipv4 ip saddr != 203.0.113.130 drop");
    expect(nft).toContain("ip6 saddr != { ::, fe80::/10, 2001:db8:1100:1::/64 } drop");
    expect(nft).toContain("@th,64,64 != 0x20010db811000001 drop");
    expect(nft).toContain("icmpv6 type { nd-router-advert, nd-redirect } drop");
    expect(nft).toContain("udp sport { 67, 547 } drop");
    expect(nft).toContain("fib daddr type local meta l4proto != { icmp, ipv6-icmp } drop");
    expect(nft).toContain("add rule arp skjold_guests vm_sk0123456789ab arp saddr ip != 203.0.113.130 drop");
    expect(nft).toContain('add element inet skjold_guests ingress { "sk0123456789ab" : jump vm_sk0123456789ab }');
  });

  it("lets a bridged guest put only ARP, IPv4 and IPv6 of its own on the segment", () => {
    const nft = buildGuestFilter(bridged);
    expect(nft).toContain("ether type != { arp, ip, ip6 } drop");
    expect(nft).toContain("ether type arp arp saddr ip != 203.0.113.200 drop");
    expect(nft).toContain("@th,64,128 != 0x20010db8000000010000000000001000 drop");
    expect(nft).not.toContain("table arp");
  });

  it("lets a guest without addresses speak only link-local", () => {
    const nft = buildGuestFilter({ ...bridged, ipv4: null, ipv6: null });
    expect(nft).toContain("ether type ip drop");
    expect(nft).toContain("ether type ip6 ip6 saddr != { ::, fe80::/10 } drop");
  });

  it("refuses names and addresses that are not what they claim", () => {
    expect(() => buildGuestFilter({ ...routed, tap: "eth0; reboot" })).toThrow(/tap name/);
    expect(() => buildGuestFilter({ ...routed, mac: "52:54:00:AA:BB:CC" })).toThrow(/MAC/);
    expect(() => buildGuestFilter({ ...routed, ipv4: "203.0.113.130 accept" })).toThrow(/IPv4/);
    expect(() => buildGuestFilter({ ...routed, ipv6: "2001:db8:1100::/56" })).toThrow(/\/64/);
    expect(() => buildGuestFilterRemoval({ tap: "x", mode: "routed" })).toThrow(/tap name/);
  });

  it("removes what it declares, so a removal can run twice", () => {
    const nft = buildGuestFilterRemoval({ tap: routed.tap, mode: "routed" });
    expect(nft.match(/delete chain (inet|arp) skjold_guests vm_sk0123456789ab/g)).toHaveLength(2);
    expect(nft.indexOf("chain vm_sk0123456789ab {")).toBeLessThan(nft.indexOf("delete chain"));
  });
});

describe("host side of a guest NIC", () => {
  it("installs the filter before the tap comes up, then routes the guest's /32 and /64 to it", () => {
    const sh = buildGuestNicSetup({ ...routed, ipv6RoutedPrefix: "2001:db8:1100:1::/64" });
    const at = (s: string) => sh.indexOf(s);
    expect(at("sudo -n nft -f -")).toBeLessThan(at("ip link set dev sk0123456789ab up"));
    expect(sh).toContain("sudo -n ip route replace 203.0.113.130/32 dev sk0123456789ab");
    expect(sh).toContain("sudo -n ip -6 route replace 2001:db8:1100:1::/64 dev sk0123456789ab");
    expect(sh).toContain("sudo -n ip addr replace 169.254.0.1/32 dev sk0123456789ab");
  });

  it("puts a bridged guest's tap on the bridge, and needs the bridge's name", () => {
    expect(buildGuestNicSetup({ ...bridged, bridge: "br0" })).toContain("sudo -n ip link set dev sk0123456789ac master br0 up");
    expect(() => buildGuestNicSetup({ ...bridged, bridge: "br0 up; reboot" })).toThrow(/bridge/);
  });

  it("removes the tap only when it exists, and the filter in any case", () => {
    const sh = buildGuestNicRemoval({ tap: routed.tap, mode: "routed" });
    expect(sh).toContain("if ip link show dev sk0123456789ab >/dev/null 2>&1; then sudo -n ip link del dev sk0123456789ab; fi");
    expect(sh).toContain("delete chain inet skjold_guests vm_sk0123456789ab");
  });
});

describe("guest network-config", () => {
  it("gives a routed guest a /32 and a /64 with on-link gateways, matched by MAC (version 1: cloud-init 22.4 drops v2's on-link)", async () => {
    const { parse } = await import("yaml");
    const { buildGuestNetworkConfig } = await import("@/lib/network/guest-network-config");
    const doc = parse(
      buildGuestNetworkConfig([
        {
          mac: "52:54:00:aa:bb:cc",
          name: "eth0",
          ipv4: { address: "203.0.113.130", prefixLen: 32, gateway: "169.254.0.1" },
          ipv6: { address: "2001:db8:1100:1::1", prefixLen: 64, gateway: "fe80::1" },
          dns: ["203.0.113.233"],
        },
      ]),
    );
    expect(doc).toEqual({
      version: 1,
      config: [
        {
          type: "physical",
          name: "eth0",
          mac_address: "52:54:00:aa:bb:cc",
          subnets: [
            { type: "static", address: "203.0.113.130/32", gateway: "169.254.0.1", dns_nameservers: ["203.0.113.233"] },
            { type: "static6", address: "2001:db8:1100:1::1/64", gateway: "fe80::1" },
          ],
        },
      ],
    });
  });
});
