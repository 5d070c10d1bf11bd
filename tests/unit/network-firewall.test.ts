import { describe, expect, it } from "vitest";
import { effectiveFirewall } from "@/lib/firewall/effective-firewall";
import { FirewallRuleSetInput, MAX_FIREWALL_RULES, VmFirewallInput } from "@/lib/firewall/schemas";
import {
  buildVmFirewall,
  buildVmFirewallChainDeletion,
  buildVmFirewallRemoval,
  type VmFirewallPolicy,
  type VmFirewallTarget,
} from "@/lib/network/firewall-nft";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildGuestFirewallScript, buildGuestNicRemoval } from "@/lib/network/host-nic";

// The host firewall's nft text (issue 14) and the rule-set input it is built from. The text is
// applied for real on the network lab (tests/integration/network-lab.test.ts); here: what it says.

const routed: VmFirewallTarget = { tap: "sk0123456789ab", mode: "routed", directSsh: false };
const bridged: VmFirewallTarget = {
  tap: "sk0123456789ab",
  mode: "bridged",
  directSsh: false,
  ipv4: "203.0.113.200",
  ipv6: "2001:db8:0:1::1000",
};
const policy: VmFirewallPolicy = {
  outbound: "allow",
  inbound: [
    { protocol: "tcp", fromPort: 8080, toPort: 8080, sources: ["198.51.100.0/24", "2001:db8::/32"] },
    { protocol: "udp", fromPort: 60000, toPort: 61000, sources: ["0.0.0.0/0"] },
    { protocol: "icmp", fromPort: null, toPort: null, sources: ["::/0"] },
  ],
};
const chain = (script: string, name: string) => script.split("\n").filter((l) => l.startsWith(`add rule inet skjold_guests ${name} `));

describe("host firewall nft", () => {
  it("flushes and fills the tap's chains in one batch: replies first, the rules, then a drop", () => {
    const s = buildVmFirewall(routed, policy);
    expect(s.indexOf("flush chain inet skjold_guests in_sk0123456789ab")).toBeLessThan(s.indexOf("add rule inet skjold_guests in_sk"));
    expect(chain(s, "in_sk0123456789ab").map((l) => l.split("in_sk0123456789ab ")[1])).toEqual([
      "ct state established,related return",
      "ip saddr { 198.51.100.0/24 } tcp dport 8080 return",
      "ip6 saddr { 2001:db8::/32 } tcp dport 8080 return",
      "ip saddr { 0.0.0.0/0 } udp dport 60000-61000 return",
      "ip6 saddr { ::/0 } meta l4proto { icmp, ipv6-icmp } return",
      "drop",
    ]);
    expect(chain(s, "out_sk0123456789ab")).toEqual([]);
    expect(s).toContain('add element inet skjold_guests to_guest { "sk0123456789ab" : jump in_sk0123456789ab }');
    expect(s).toContain("add rule inet skjold_guests forward oifname vmap @to_guest");
  });

  it("keeps TCP 22 open only where the portal reaches the guest straight through the forward path", () => {
    expect(chain(buildVmFirewall({ ...routed, directSsh: true }, policy), "in_sk0123456789ab")).toContain(
      "add rule inet skjold_guests in_sk0123456789ab tcp dport 22 return",
    );
    expect(buildVmFirewall(routed, policy)).not.toContain("dport 22");
  });

  it("denies outbound with replies and, bridged, neighbour discovery let through", () => {
    const s = buildVmFirewall(bridged, { ...policy, outbound: "deny" });
    const out = chain(s, "out_sk0123456789ab").map((l) => l.split("out_sk0123456789ab ")[1]);
    expect(out[0]).toMatch(/^icmpv6 type \{ nd-neighbor-solicit, nd-neighbor-advert/);
    expect(out.slice(1)).toEqual(["ct state established,related return", "drop"]);
    // Bridged: entered by the guest's addresses, each element replaced (a stale one from an earlier guest goes).
    expect(s).toContain("add element inet skjold_guests to_guest4 { 203.0.113.200 : jump in_sk0123456789ab }");
    expect(s).toContain("delete element inet skjold_guests from_guest6 { 2001:db8:0:1::1000 }");
    expect(() => buildVmFirewall({ ...bridged, ipv4: null, ipv6: null }, policy)).toThrow(/needs its addresses/);
  });

  it("refuses what must never reach a root shell: another tap name, a bad prefix, a reversed range", () => {
    expect(() => buildVmFirewall({ ...routed, tap: "eth0; reboot" }, policy)).toThrow(/not one of Skjold's/);
    expect(() => buildVmFirewall(routed, { ...policy, inbound: [{ ...policy.inbound[0]!, sources: ["1.2.3.4/8"] }] })).toThrow(
      /not a prefix/,
    );
    expect(() => buildVmFirewall(routed, { ...policy, inbound: [{ ...policy.inbound[0]!, fromPort: 9, toPort: 8 }] })).toThrow(
      /port range/,
    );
    expect(() => buildVmFirewall({ ...bridged, ipv4: "2001:db8::1" }, policy)).toThrow(/not an IPv4/);
  });

  it("removes the elements and empties the chains, then deletes them in a batch that may fail alone", () => {
    const rm = buildVmFirewallRemoval(routed);
    expect(rm).toContain('delete element inet skjold_guests to_guest { "sk0123456789ab" }');
    expect(rm).not.toContain("delete chain");
    expect(buildVmFirewallChainDeletion(routed.tap)).toContain("delete chain inet skjold_guests out_sk0123456789ab");
    const nic = buildGuestNicRemoval({ tap: routed.tap, mode: "bridged", ipv4: bridged.ipv4, ipv6: bridged.ipv6 });
    expect(nic).toContain("delete element inet skjold_guests to_guest4 { 203.0.113.200 }");
    expect(nic).toContain("{ sudo -n nft -f - 2>/dev/null || true; } <<'SKJOLD_NFT'");
    expect(buildGuestFirewallScript({ target: routed, policy: null })).toContain("flush chain inet skjold_guests in_sk0123456789ab");
    expect(buildGuestFirewallScript({ target: routed, policy })).toContain("sudo -n nft -f - <<'SKJOLD_NFT'");
  });
});

describe("effective firewall of a VM's rule sets", () => {
  const set = (outbound: "ALLOW" | "DENY", fromPort: number) => ({
    name: `s${fromPort}`,
    outbound,
    rules: [{ protocol: "tcp" as const, fromPort, sources: ["0.0.0.0/0"] }],
  });
  it("is none without sets, adds the inbound rules up, and denies outbound when any set does", () => {
    expect(effectiveFirewall([])).toBeNull();
    const fw = effectiveFirewall([set("ALLOW", 80), set("DENY", 443)]);
    expect(fw?.inbound.map((r) => [r.fromPort, r.toPort])).toEqual([
      [80, 80],
      [443, 443],
    ]);
    expect(fw?.outbound).toBe("deny");
    expect(effectiveFirewall([set("ALLOW", 80)])?.outbound).toBe("allow");
  });
});

describe("rule set input", () => {
  const ok = { name: "web", rules: [{ protocol: "tcp", fromPort: 80, toPort: 81, sources: ["2001:DB8::/32", "198.51.100.9"] }] };
  const paths = (input: unknown) => {
    const r = FirewallRuleSetInput.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };
  it("accepts a set, normalises its sources and defaults outbound to allow; its output parses again", () => {
    const parsed = FirewallRuleSetInput.parse(ok);
    expect(parsed.outbound).toBe("allow");
    expect(parsed.rules[0]!.sources).toEqual(["2001:db8::/32", "198.51.100.9/32"]);
    expect(FirewallRuleSetInput.parse(parsed)).toEqual(parsed);
  });
  it("names the field of each refusal", () => {
    expect(paths({ ...ok, rules: [{ ...ok.rules[0], fromPort: 81, toPort: 80 }] })).toEqual([
      "rules.0.toPort: the port range is reversed: 81 comes after 80",
    ]);
    expect(paths({ ...ok, rules: [{ ...ok.rules[0], sources: ["198.51.100.9/24"] }] })).toEqual([
      "rules.0.sources.0: 198.51.100.9/24 has host bits set; did you mean 198.51.100.0/24?",
    ]);
    expect(paths({ ...ok, rules: [{ ...ok.rules[0], sources: ["10.0.0.0/33"] }] })[0]).toMatch(
      /^rules\.0\.sources\.0: 10\.0\.0\.0\/33 is not a prefix/,
    );
    expect(paths({ ...ok, rules: [{ ...ok.rules[0], sources: [] }] })[0]).toMatch(/^rules\.0\.sources: name at least one source/);
    expect(paths({ ...ok, rules: [{ protocol: "icmp", fromPort: 8, sources: ["::/0"] }] })).toEqual([
      "rules.0.fromPort: ICMP has no ports; leave the port range out",
    ]);
    expect(paths({ ...ok, rules: [{ protocol: "udp", sources: ["::/0"] }] })).toEqual(["rules.0.fromPort: TCP and UDP rules need a port"]);
    expect(paths({ ...ok, rules: Array.from({ length: MAX_FIREWALL_RULES + 1 }, () => ok.rules[0]) })).toEqual([
      `rules: at most ${MAX_FIREWALL_RULES} rules in a rule set`,
    ]);
    expect(paths({ ...ok, outbound: "maybe" })[0]).toMatch(/^outbound:/);
    const id = "0b5f3c8e-9d0c-4c3e-8a55-1f1b2c3d4e5f";
    expect(VmFirewallInput.safeParse({ ruleSetIds: [id, id] }).error?.issues[0]?.message).toBe("names a rule set twice");
  });
});

describe("rule lines of the portal's form", () => {
  it("reads one rule per line and writes them back the same way", async () => {
    const { formatRuleLines, parseRuleLines } = await import("@/lib/firewall/rule-lines");
    const text = "tcp 8080 198.51.100.0/24, 2001:db8::/32\n\nudp 60000-61000 0.0.0.0/0  # mosh\nICMP ::/0";
    const rules = FirewallRuleSetInput.parse({ name: "x", rules: parseRuleLines(text) }).rules;
    expect(rules).toEqual([
      { protocol: "tcp", fromPort: 8080, toPort: null, sources: ["198.51.100.0/24", "2001:db8::/32"] },
      { protocol: "udp", fromPort: 60000, toPort: 61000, sources: ["0.0.0.0/0"], description: "mosh" },
      { protocol: "icmp", sources: ["::/0"] },
    ]);
    expect(parseRuleLines(formatRuleLines(rules))).toEqual(parseRuleLines(text));
    const bad = FirewallRuleSetInput.safeParse({ name: "x", rules: parseRuleLines("tcp 90-80 ::/0") });
    expect(bad.error?.issues[0]?.path.join(".")).toBe("rules.0.toPort");
  });
});

describe("the host scripts as a shell reads them", () => {
  /** Runs a script with a stand-in `sudo` (and `ip`) that keeps each nft batch it is handed; returns them. */
  function batches(script: string, failNft = false): { status: number | null; batches: string[] } {
    const dir = mkdtempSync(path.join(tmpdir(), "skjold-fw-"));
    try {
      const sudo = path.join(dir, "sudo");
      writeFileSync(
        sudo,
        `#!/bin/sh\nn=$(ls ${dir}/batch-* 2>/dev/null | wc -l)\ncat > ${dir}/batch-$n\n${failNft ? "exit 1" : "exit 0"}\n`,
      );
      writeFileSync(path.join(dir, "ip"), "#!/bin/sh\nexit 1\n");
      chmodSync(sudo, 0o755);
      chmodSync(path.join(dir, "ip"), 0o755);
      const r = spawnSync("sh", ["-s"], { input: script, env: { ...process.env, PATH: `${dir}:/usr/bin:/bin` }, encoding: "utf8" });
      const files = readdirSync(dir)
        .filter((f) => f.startsWith("batch-"))
        .sort();
      return { status: r.status, batches: files.map((f) => readFileSync(path.join(dir, f), "utf8")) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  it("hands nft each batch whole, and a refused chain deletion does not fail the removal", () => {
    const apply = batches(buildGuestFirewallScript({ target: routed, policy }));
    expect(apply).toEqual({ status: 0, batches: [buildVmFirewall(routed, policy)] });
    const removal = batches(buildGuestFirewallScript({ target: bridged, policy: null }));
    expect(removal).toEqual({ status: 0, batches: [buildVmFirewallRemoval(bridged), buildVmFirewallChainDeletion(bridged.tap)] });
    // The removal's own batch failing fails the script (set -e); only the chain deletion may fail.
    expect(batches(buildGuestFirewallScript({ target: bridged, policy: null }), true).status).not.toBe(0);
    const nic = batches(buildGuestNicRemoval({ tap: bridged.tap, mode: "bridged", ipv4: bridged.ipv4, ipv6: bridged.ipv6 }));
    expect(nic.status).toBe(0);
    expect(nic.batches.slice(1)).toEqual([buildVmFirewallRemoval(bridged), buildVmFirewallChainDeletion(bridged.tap)]);
  });
});
