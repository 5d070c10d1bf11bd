import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildGuestNetworkConfig } from "@/lib/network/guest-network-config";
import {
  allPrivateTapsOf,
  bridgeOfVni,
  buildGuestPrivateNicUp,
  buildPrivateNicRemoval,
  buildPrivateNicXml,
  buildPrivateNicSetup,
  buildSegmentRemoval,
  buildSegmentSetup,
  privateTapOf,
  vxlanOfVni,
} from "@/lib/network/private/private-host-script";
import {
  checkRange,
  checkUla,
  pickPrivateAddress,
  pickVni,
  randomUla,
  suggestRange,
  ulaAddressOf,
} from "@/lib/network/private/private-range";

// Private networks as pure decisions and host scripts (the scripts run for real on the network lab:
// tests/integration/network-lab.test.ts).

describe("private network ranges", () => {
  it("accepts private IPv4 prefixes /8…/29 and names what is wrong with the rest", () => {
    expect(checkRange("10.0.0.0/24")).toMatchObject({ ok: true, cidr: "10.0.0.0/24" });
    expect(checkRange("192.168.4.8/29")).toMatchObject({ ok: true });
    expect(checkRange("100.64.0.0/10")).toMatchObject({ ok: true });
    expect(checkRange("10.0.0.0/30")).toMatchObject({ ok: false, problem: "too-small", prefixLen: 30 });
    expect(checkRange("10.0.0.0/31")).toMatchObject({ ok: false, problem: "too-small" });
    expect(checkRange("10.0.0.1/32")).toMatchObject({ ok: false, problem: "too-small" });
    expect(checkRange("10.0.0.0/7")).toMatchObject({ ok: false, problem: "too-large" });
    expect(checkRange("10.0.0.5/24")).toMatchObject({ ok: false, problem: "host-bits", suggestion: "10.0.0.0/24" });
    expect(checkRange("203.0.113.0/24")).toMatchObject({ ok: false, problem: "not-private" });
    expect(checkRange("172.32.0.0/16")).toMatchObject({ ok: false, problem: "not-private" });
    expect(checkRange("fd00::/64")).toMatchObject({ ok: false, problem: "not-ipv4" });
    expect(checkRange("10.0.0/24")).toMatchObject({ ok: false, problem: "syntax" });
  });

  it("suggests the first 10.x.y.0/24 clear of the team's other ranges", () => {
    expect(suggestRange([])).toBe("10.0.0.0/24");
    expect(suggestRange(["10.0.0.0/24", "10.0.1.0/25"])).toBe("10.0.2.0/24");
    expect(suggestRange(["10.0.0.0/15"])).toBe("10.2.0.0/24");
    expect(suggestRange(["10.0.0.0/8"])).toBeNull();
  });

  it("keeps .1 back, hands out the rest, and mirrors the host number into the ULA", () => {
    expect(pickPrivateAddress("10.0.0.0/24", new Set())).toBe("10.0.0.2");
    expect(pickPrivateAddress("10.0.0.0/24", new Set(["10.0.0.2", "10.0.0.3"]))).toBe("10.0.0.4");
    const full = new Set(["10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"]);
    expect(pickPrivateAddress("10.0.0.0/29", full)).toBeNull();
    expect(ulaAddressOf("fd12:3456:789a::/64", "10.0.0.0/16", "10.0.1.7")).toBe("fd12:3456:789a::107");
  });

  it("checks and makes ULA /64s and picks the lowest free VNI", () => {
    expect(checkUla("fd12:3456:789a::/64")).toMatchObject({ ok: true });
    expect(checkUla("fc00::/64").ok).toBe(false);
    expect(checkUla("fd12::/48").ok).toBe(false);
    expect(randomUla(() => Buffer.from([0x12, 0x34, 0x56, 0x78, 0x9a]))).toBe("fd12:3456:789a::/64");
    expect(checkUla(randomUla()).ok).toBe(true);
    expect(pickVni(new Set())).toBe(4096);
    expect(pickVni(new Set([4096, 4097, 4099]))).toBe(4098);
  });
});

describe("private network host scripts", () => {
  it("makes the bridge and VXLAN device and sets the flood list to exactly the peers", () => {
    const s = buildSegmentSetup({ vni: 4100, local: "203.0.113.235", peers: ["203.0.113.236", "203.0.113.235", "203.0.113.237"] });
    expect(bridgeOfVni(4100)).toBe("skb4100");
    expect(vxlanOfVni(4100)).toBe("skx4100");
    expect(s).toContain("sudo -n ip link add skb4100 type bridge mcast_snooping 0");
    expect(s).toContain("sudo -n ip link set dev skb4100 addrgenmode none");
    expect(s).toContain("sudo -n ip link add skx4100 type vxlan id 4100 local 203.0.113.235 dstport 4789");
    expect(s).toContain("sudo -n ip link set dev skx4100 mtu 1450 master skb4100 up");
    // Itself is never its own peer; the list is sorted and deduplicated.
    expect(s).toContain("want='203.0.113.236 203.0.113.237'");
    expect(s).toContain('sudo -n bridge fdb append 00:00:00:00:00:00 dev skx4100 dst "$p"');
    // `bridge` is in /usr/sbin: read through sudo, outside a pipeline, so a failure stops the script.
    expect(s).toContain("fdb=$(sudo -n bridge fdb show dev skx4100)");
    expect(s).toContain('sudo -n bridge fdb del 00:00:00:00:00:00 dev skx4100 dst "$p"');
    // Every creation tolerates a device made by a concurrent run.
    expect(s).toMatch(/sudo -n ip link add skx4100 .* && echo "created skx4100" \|\| ip link show dev skx4100/);
  });

  it("refuses what could reach a shell or name another device", () => {
    expect(() => buildSegmentSetup({ vni: 4100, local: "203.0.113.235; reboot", peers: [] })).toThrow(/not an IPv4/);
    expect(() => buildSegmentSetup({ vni: 4100, local: "203.0.113.235", peers: ["$(id)"] })).toThrow(/not an IPv4/);
    expect(() => buildSegmentSetup({ vni: 12, local: "203.0.113.235", peers: [] })).toThrow(/VNI 12/);
    expect(() => privateTapOf("skj-0123456789ab", 5)).toThrow(/slot 5/);
  });

  it("puts a VM's tap on the bridge behind an anti-spoofing chain for its own MAC and addresses", () => {
    expect(privateTapOf("skj-0123456789ab", 1)).toBe("sp0123456789ab");
    expect(allPrivateTapsOf("skj-0123456789ab")).toEqual(["sp0123456789ab", "sq0123456789ab", "sr0123456789ab", "ss0123456789ab"]);
    const s = buildPrivateNicSetup({ tap: "sp0123456789ab", vni: 4100, mac: "52:54:00:aa:bb:cc", ipv4: "10.0.0.2", ipv6: "fd12::2" });
    const filterAt = s.indexOf("nft -f -");
    const bridgeAt = s.indexOf("master skb4100");
    expect(filterAt).toBeGreaterThan(0);
    expect(bridgeAt).toBeGreaterThan(filterAt);
    expect(s).toContain("ether saddr != 52:54:00:aa:bb:cc drop");
    expect(s).toContain("ip saddr != 10.0.0.2 drop");
    expect(s).toContain("ip6 saddr != { ::, fe80::/10, fd12::2 } drop");
    expect(s).toContain("udp sport { 67, 547 } drop");
    expect(s).toContain("sudo -n ip link set dev sp0123456789ab mtu 1450 master skb4100 up");
  });

  it("removes taps with their chains, and a segment only once no tap hangs on it", () => {
    const r = buildPrivateNicRemoval(["sp0123456789ab"]);
    expect(r).toContain("sudo -n ip link del dev sp0123456789ab");
    expect(r).toContain("delete chain bridge skjold_guests vm_sp0123456789ab");
    const seg = buildSegmentRemoval(4100);
    expect(seg).toContain("ip -o link show master skb4100");
    expect(seg.indexOf("still has ports")).toBeLessThan(seg.indexOf("ip link del dev skx4100"));
    expect(seg).toContain("sudo -n ip link del dev skb4100");
  });
});

describe("attaching a private NIC later", () => {
  it("hot-plugs Skjold's tap as a virtio NIC with its MAC", () => {
    expect(buildPrivateNicXml({ tap: "sq0123456789ab", mac: "52:54:00:aa:bb:cc" })).toBe(
      "<interface type='ethernet'>\n  <mac address='52:54:00:aa:bb:cc'/>\n  <target dev='sq0123456789ab' managed='no'/>\n  <model type='virtio'/>\n</interface>\n",
    );
    expect(() => buildPrivateNicXml({ tap: "sk0123456789ab", mac: "52:54:00:aa:bb:cc" })).toThrow(/not a private NIC/);
    expect(() => buildPrivateNicXml({ tap: "sq0123456789ab", mac: "52:54:00:AA:BB:CC'/>" })).toThrow(/MAC/);
  });

  it("addresses it in the guest by its MAC and keeps it across reboots", () => {
    const s = buildGuestPrivateNicUp({ slot: 2, mac: "52:54:00:aa:bb:cc", ipv4: "10.0.0.5", prefixLen: 24, ipv6: "fd12::5" });
    expect(s).toContain(`[ "$(cat "$d/address")" = 52:54:00:aa:bb:cc ]`);
    expect(s).toContain(`> /etc/network/interfaces.d/60-skjold-private-2`);
    expect(s).toContain(`"    address 10.0.0.5/24" "    mtu 1450"`);
    expect(s).toContain(`ip addr replace 10.0.0.5/24 dev "$dev"`);
    expect(s).toContain(`ip -6 addr replace fd12::5/64 dev "$dev" nodad`);
    expect(s).not.toMatch(/gateway/);
    expect(() =>
      buildGuestPrivateNicUp({ slot: 2, mac: "52:54:00:aa:bb:cc", ipv4: "10.0.0.5; reboot", prefixLen: 24, ipv6: null }),
    ).toThrow();
  });
});

describe("the private NIC in the guest's network config", () => {
  it("is gateway-less, inside VXLAN's MTU, matched by its MAC", () => {
    const doc = parse(
      buildGuestNetworkConfig([
        { mac: "52:54:00:00:00:01", name: "eth0", ipv4: { address: "203.0.113.129", prefixLen: 32, gateway: "169.254.0.1" } },
        {
          mac: "52:54:00:aa:bb:cc",
          name: "eth1",
          mtu: 1450,
          ipv4: { address: "10.0.0.2", prefixLen: 24 },
          ipv6: { address: "fd12::2", prefixLen: 64 },
        },
      ]),
    );
    expect(doc.config[1]).toEqual({
      type: "physical",
      name: "eth1",
      mac_address: "52:54:00:aa:bb:cc",
      mtu: 1450,
      subnets: [
        { type: "static", address: "10.0.0.2/24" },
        { type: "static6", address: "fd12::2/64" },
      ],
    });
    expect(doc.config[0].subnets[0].gateway).toBe("169.254.0.1");
  });
});
