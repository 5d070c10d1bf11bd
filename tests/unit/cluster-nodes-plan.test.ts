import { describe, expect, it } from "vitest";
import { plannedNodes } from "@/lib/clusters/order-cluster";
import { OrderClusterInput, agentNodeName } from "@/lib/clusters/schemas";

const base = { name: "c1", regionCode: "osl1", planCode: "nano", imageSlug: "debian-12", sshKeyId: "00000000-0000-4000-8000-000000000000" };

describe("a cluster order's nodes", () => {
  it("defaults to no agents and accepts 0–3 whole agents only", () => {
    expect(OrderClusterInput.parse(base).agentCount).toBe(0);
    expect(OrderClusterInput.parse({ ...base, agentCount: 3 }).agentCount).toBe(3);
    for (const agentCount of [-1, 4, 1.5, "1", null]) expect(OrderClusterInput.safeParse({ ...base, agentCount }).success).toBe(false);
  });

  it("plans the server first, then agents named <cluster>-agent-<i> from 1", () => {
    expect(plannedNodes("c1", 0)).toEqual([{ name: "c1-server", role: "server" }]);
    expect(plannedNodes("c1", 2)).toEqual([{ name: "c1-server", role: "server" }, { name: "c1-agent-1", role: "agent" }, { name: "c1-agent-2", role: "agent" }]);
    // The longest cluster name still gives node names that fit a 63-character host label.
    expect(agentNodeName("a".repeat(40), 3).length).toBeLessThanOrEqual(63);
  });
});
