import { describe, expect, it } from "vitest";
import { GENESIS_HASH, hashEntry, type HashedFields } from "@/lib/residency/hash";
import { openEntries } from "@/lib/residency/open-entries";

const ENTRY: HashedFields = {
  seq: 1n,
  teamId: "11111111-2222-4333-8444-555555555555",
  teamSlug: "alfa",
  resourceKind: "VM_DISK",
  resourceId: "vm-web1",
  resourceName: "web1",
  action: "OPEN",
  hostName: "osl-h1",
  poolName: "nvme",
  path: "/srv/web1.qcow2",
  regionCode: "osl1",
  country: "NO",
  jurisdiction: "NO_EEA",
  effectiveAt: new Date("2026-01-10T12:00:00.000Z"),
  recordedAt: new Date("2026-01-10T12:00:01.000Z"),
  actor: "worker-1",
  prevHash: GENESIS_HASH,
};

describe("ledger hash", () => {
  it("matches the documented recipe (computed with printf | sha256sum, see docs/residency.md)", () => {
    expect(hashEntry(ENTRY)).toBe("e3854f2b97a532ab23bd07dfa712fccaabf8213fb216731749261d9a10b90226");
  });

  it("changes when any single field changes", () => {
    const base = hashEntry(ENTRY);
    const changes: Partial<HashedFields>[] = [
      { seq: 2n },
      { teamId: null },
      { teamSlug: null },
      { resourceKind: "VM_SEED" },
      { resourceId: "vm-x" },
      { resourceName: "web2" },
      { action: "CLOSE" },
      { hostName: null },
      { poolName: "ssd" },
      { path: null },
      { regionCode: "bgo1" },
      { country: "SE" },
      { jurisdiction: "EU" },
      { effectiveAt: new Date("2026-01-10T12:00:00.001Z") },
      { recordedAt: new Date(0) },
      { actor: null },
      { prevHash: "f".repeat(64) },
    ];
    for (const change of changes) expect(hashEntry({ ...ENTRY, ...change }), JSON.stringify(Object.keys(change))).not.toBe(base);
  });
});

describe("open entries", () => {
  const at = (action: "OPEN" | "CLOSE", hostName: string) => ({ ...ENTRY, action, hostName });
  it("closes only the location a CLOSE names, and reopens on a later OPEN", () => {
    expect(openEntries([at("OPEN", "a"), at("OPEN", "b"), at("CLOSE", "a")]).map((e) => e.hostName)).toEqual(["b"]);
    expect(openEntries([at("OPEN", "a"), at("CLOSE", "a"), at("OPEN", "a")]).map((e) => e.hostName)).toEqual(["a"]);
    expect(openEntries([at("OPEN", "a"), at("CLOSE", "a")])).toEqual([]);
  });
});
