import { describe, expect, it } from "vitest";
import { placeVm, type PlacementHost } from "@/lib/placement/place-vm";

const GIB = 2 ** 30;

function host(name: string, over: Partial<PlacementHost> = {}): PlacementHost {
  return {
    id: `id-${name}`,
    name,
    regionCode: "osl1",
    status: "ONLINE",
    draining: false,
    cpuCount: 8,
    memoryMb: 16_384,
    vcpuOvercommit: 1,
    usedVcpus: 0,
    usedMemoryMb: 0,
    pools: [{ id: `pool-${name}`, name: "nvme", availableBytes: BigInt(500 * GIB) }],
    imagePoolIds: [`pool-${name}`],
    freePorts: 100,
    ...over,
  };
}

const request = { regionCode: "osl1", vcpus: 2, memoryMb: 4096, diskGb: 50 };

describe("placeVm", () => {
  it("spread takes the least loaded host, pack the most loaded one that still fits", () => {
    const hosts = [
      host("a", { usedVcpus: 4, usedMemoryMb: 8192 }),
      host("b", { usedVcpus: 1, usedMemoryMb: 1024 }),
      host("c", { usedVcpus: 6, usedMemoryMb: 4096 }),
    ];
    const spread = placeVm({ hosts, request, strategy: "spread" });
    const pack = placeVm({ hosts, request, strategy: "pack" });
    expect(spread.ok && spread.hostName).toBe("b");
    expect(pack.ok && pack.hostName).toBe("c"); // 8 of 8 vCPUs after placing: full but fits
    expect(spread.ok && spread.explanation).toMatch(/^b: least loaded host that fits \(38 % after placing; 2 other hosts also fit\)/);
  });

  it("counts vCPU overcommit, memory, pool space and free ports", () => {
    expect(placeVm({ hosts: [host("a", { usedVcpus: 7 })], request, strategy: "spread" }).ok).toBe(false);
    expect(placeVm({ hosts: [host("a", { usedVcpus: 7, vcpuOvercommit: 2 })], request, strategy: "spread" }).ok).toBe(true);
    const mem = placeVm({ hosts: [host("a", { usedMemoryMb: 14_000 })], request, strategy: "spread" });
    expect(mem).toMatchObject({
      ok: false,
      verdicts: [{ host: "a", fits: false, reason: "memory full (14000 of 16384 MiB in use, 4096 needed)" }],
    });
    const disk = placeVm({
      hosts: [host("a", { pools: [{ id: "pool-a", name: "nvme", availableBytes: 20 * GIB }] })],
      request,
      strategy: "spread",
    });
    expect(disk.ok ? "" : disk.explanation).toContain("pool nvme has 20 GiB free, 50 needed");
    expect(placeVm({ hosts: [host("a", { freePorts: 0 })], request, strategy: "spread" }).ok).toBe(false);
  });

  it("refuses hosts in another region, offline, draining, undiscovered or without the image, and says why", () => {
    const hosts = [
      host("other", { regionCode: "bgo1" }),
      host("off", { status: "OFFLINE" }),
      host("changed", { status: "KEY_MISMATCH" }),
      host("drain", { draining: true }),
      host("new", { cpuCount: null }),
      host("noimg", { imagePoolIds: [] }),
    ];
    const r = placeVm({ hosts, request, strategy: "pack" });
    expect(r.ok).toBe(false);
    expect(r.verdicts.map((v) => `${v.host}: ${v.reason}`)).toEqual([
      "other: in region bgo1, not osl1",
      "off: not online (offline)",
      "changed: not online (key mismatch)",
      "drain: draining",
      "new: capacity not discovered yet",
      "noimg: does not have the image",
    ]);
    expect(r.explanation).toMatch(/^No host in osl1 can take this VM \(other: in region bgo1/);
    expect(placeVm({ hosts: [], request, strategy: "spread" }).explanation).toBe("No host in osl1 can take this VM (no hosts).");
  });

  it("picks the pool with the image and the most space, and breaks ties by host name", () => {
    const h = host("a", {
      pools: [
        { id: "p1", name: "small", availableBytes: 60 * GIB },
        { id: "p2", name: "big", availableBytes: 900 * GIB },
        { id: "p3", name: "noimage", availableBytes: 5000 * GIB },
      ],
      imagePoolIds: ["p1", "p2"],
    });
    expect(placeVm({ hosts: [h], request, strategy: "spread" })).toMatchObject({ ok: true, poolId: "p2" });
    const tie = placeVm({ hosts: [host("zeta"), host("alpha")], request, strategy: "spread" });
    expect(tie.ok && tie.hostName).toBe("alpha");
  });

  it("lets a policy hook refuse a host with its own reason", () => {
    const r = placeVm({
      hosts: [host("a"), host("b")],
      request,
      strategy: "spread",
      policy: (h) => (h.name === "a" ? "outside the team's residency policy" : null),
    });
    expect(r).toMatchObject({ ok: true, hostName: "b" });
    expect(r.verdicts[0]).toEqual({ host: "a", fits: false, reason: "outside the team's residency policy" });
  });
});
