import { describe, expect, it } from "vitest";
import type { AddressEvent } from "@/lib/generated/prisma/client";
import { assignmentsFromEvents, heldAt, historyUnitsOf } from "@/lib/network/address-history";

let seq = 0n;
function event(action: AddressEvent["action"], at: string, vm: string, address = "203.0.113.7", prefixLen = 32): AddressEvent {
  return {
    id: ++seq,
    at: new Date(at),
    action,
    poolId: "00000000-0000-4000-8000-000000000001",
    family: prefixLen === 32 ? "IPV4" : "IPV6",
    address,
    prefixLen,
    vmId: `00000000-0000-4000-8000-0000000000${vm}`,
    vmName: `vm-${vm}`,
    teamId: "00000000-0000-4000-8000-000000000099",
    teamSlug: "acme",
    regionCode: "osl1",
    hostName: "h1",
  };
}

describe("address history", () => {
  it("looks an IPv6 address up by itself and by the routed /64 that contains it", () => {
    expect(historyUnitsOf("2001:DB8:1100:7::abcd")).toEqual({
      address: "2001:db8:1100:7::abcd",
      units: [
        { address: "2001:db8:1100:7::abcd", prefixLen: 128 },
        { address: "2001:db8:1100:7::", prefixLen: 64 },
      ],
    });
    expect(historyUnitsOf("203.0.113.7")).toEqual({ address: "203.0.113.7", units: [{ address: "203.0.113.7", prefixLen: 32 }] });
    expect(historyUnitsOf("203.0.113.7/32")).toBeNull();
  });

  it("pairs assignments with their releases and answers for an instant", () => {
    const list = assignmentsFromEvents([
      event("ASSIGN", "2026-12-01T10:00:00Z", "01"),
      event("RELEASE", "2026-12-01T12:00:00Z", "01"),
      event("ASSIGN", "2026-12-03T09:00:00Z", "02"),
    ]);
    expect(list.map((a) => [a.vm.name, a.assignedAt.toISOString(), a.releasedAt?.toISOString() ?? null])).toEqual([
      ["vm-01", "2026-12-01T10:00:00.000Z", "2026-12-01T12:00:00.000Z"],
      ["vm-02", "2026-12-03T09:00:00.000Z", null],
    ]);
    const at = (iso: string) => list.filter((a) => heldAt(a, new Date(iso))).map((a) => a.vm.name);
    expect(at("2026-12-01T09:59:59Z")).toEqual([]);
    expect(at("2026-12-01T10:00:00Z")).toEqual(["vm-01"]);
    expect(at("2026-12-01T11:59:59.999Z")).toEqual(["vm-01"]);
    expect(at("2026-12-01T12:00:00Z")).toEqual([]); // released at that instant
    expect(at("2027-01-01T00:00:00Z")).toEqual(["vm-02"]);
  });

  it("ends an assignment whose release is missing when the unit is handed out again", () => {
    const list = assignmentsFromEvents([
      event("ASSIGN", "2026-12-01T10:00:00Z", "01"),
      event("ASSIGN", "2026-12-02T10:00:00Z", "02"),
      event("RELEASE", "2026-12-02T11:00:00Z", "01"),
    ]);
    expect(list.map((a) => [a.vm.name, a.releasedAt?.toISOString()])).toEqual([
      ["vm-01", "2026-12-02T10:00:00.000Z"],
      ["vm-02", undefined],
    ]);
  });
});
