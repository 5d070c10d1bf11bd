import { describe, expect, it } from "vitest";
import { plannedNodes } from "@/lib/clusters/order/planned-nodes";
import { OrderClusterInput, agentNodeName } from "@/lib/clusters/order/schemas";
import { parseApiAllowFrom } from "@/app/(portal)/teams/[slug]/clusters/api-allow-from";

const base = { name: "c1", regionCode: "osl1", planCode: "nano", imageSlug: "debian-12", sshKeyId: "00000000-0000-4000-8000-000000000000" };

describe("a cluster order's nodes", () => {
  it("defaults to no agents and accepts 0–3 whole agents only", () => {
    expect(OrderClusterInput.parse(base).agentCount).toBe(0);
    expect(OrderClusterInput.parse({ ...base, agentCount: 3 }).agentCount).toBe(3);
    for (const agentCount of [-1, 4, 1.5, "1", null]) expect(OrderClusterInput.safeParse({ ...base, agentCount }).success).toBe(false);
  });

  it("plans the server first, then agents named <cluster>-agent-<i> from 1", () => {
    expect(plannedNodes("c1", 0)).toEqual([{ name: "c1-server", role: "server" }]);
    expect(plannedNodes("c1", 2)).toEqual([
      { name: "c1-server", role: "server" },
      { name: "c1-agent-1", role: "agent" },
      { name: "c1-agent-2", role: "agent" },
    ]);
    // The longest cluster name still gives node names that fit a 63-character host label.
    expect(agentNodeName("a".repeat(40), 3).length).toBeLessThanOrEqual(63);
  });
});

describe("a cluster order's API networks", () => {
  it("defaults to the nodes only and takes up to 10 real IPv4/IPv6 prefixes", () => {
    expect(OrderClusterInput.parse(base).apiAllowFrom).toEqual([]);
    const ok = ["203.0.113.0/24", "198.51.100.7/32", "2001:db8::/48"];
    expect(OrderClusterInput.parse({ ...base, apiAllowFrom: ok }).apiAllowFrom).toEqual(ok);
    expect(OrderClusterInput.safeParse({ ...base, apiAllowFrom: Array.from({ length: 11 }, (_, i) => `10.0.${i}.0/24`) }).success).toBe(
      false,
    );
  });

  it("refuses the whole internet, impossible prefixes and anything that is not a network", () => {
    for (const bad of [
      "0.0.0.0/0",
      "::/0",
      "10.0.0.0/33",
      "2001:db8::/129",
      "300.1.1.1/24",
      "example.com",
      "10.0.0.1",
      "10.0.0.0/8; reboot",
      "",
    ]) {
      expect(OrderClusterInput.safeParse({ ...base, apiAllowFrom: [bad] }).success, bad).toBe(false);
    }
  });

  it("reads the order form's field, naming the first bad network and why", () => {
    expect(parseApiAllowFrom(undefined)).toEqual({ ok: true, networks: [] });
    expect(parseApiAllowFrom(" 203.0.113.0/24,\n2001:db8::/48  203.0.113.0/24 ")).toEqual({
      ok: true,
      networks: ["203.0.113.0/24", "2001:db8::/48"],
    });
    expect(parseApiAllowFrom("203.0.113.0/24\n0.0.0.0/0")).toEqual({ ok: false, value: "0.0.0.0/0", reason: "wholeInternet" });
    expect(parseApiAllowFrom("10.0.0.0/40")).toEqual({ ok: false, value: "10.0.0.0/40", reason: "prefixTooLong" });
    expect(parseApiAllowFrom("my-office")).toEqual({ ok: false, value: "my-office", reason: "notCidr" });
    expect(parseApiAllowFrom(Array.from({ length: 11 }, (_, i) => `10.0.${i}.0/24`).join("\n"))).toMatchObject({
      ok: false,
      reason: "tooMany",
    });
  });
});
