import { describe, expect, it } from "vitest";
import type { PlacementHost } from "@/lib/placement/place-vm";
import { GROW_FILESYSTEM_SCRIPT } from "@/lib/vms/resize/grow-filesystem-script";
import { hostRoomRefusal, planChangeRefusal, type ResizeSizes } from "@/lib/vms/resize/resize-refusal";

const resizeRefusal = (o: ResizeSizes & { host: PlacementHost | undefined; poolId: string }) => planChangeRefusal(o) ?? hostRoomRefusal(o);
import { ResizeVmInput } from "@/lib/vms/resize/schemas";

const GIB = 2 ** 30;

// The VM's host with its OTHER VMs' use (the VM itself excluded, as loadPlacementHosts gives it).
function host(over: Partial<PlacementHost> = {}): PlacementHost {
  return {
    id: "h1",
    name: "osl-kvm-01",
    regionCode: "osl1",
    status: "ONLINE",
    draining: false,
    cpuCount: 4,
    memoryMb: 8192,
    vcpuOvercommit: 1,
    usedVcpus: 2,
    usedMemoryMb: 4096,
    pools: [{ id: "p1", name: "nvme", availableBytes: BigInt(40 * GIB) }],
    imagePoolIds: ["p1"],
    freePorts: 0,
    networkMode: "ROUTED",
    networkProblem: null,
    addressProblem: "pool full",
    ...over,
  };
}

const from = { vcpus: 1, memoryMb: 1024, diskGb: 20 };
const plan = (over: Partial<{ vcpus: number; memoryMb: number; diskGb: number }>) => ({
  code: "p",
  name: "Medium",
  vcpus: 2,
  memoryMb: 2048,
  diskGb: 40,
  ...over,
});

describe("resizeRefusal", () => {
  it("allows a plan that fits beside the host's other VMs, even with no free port or address (the VM keeps its own)", () => {
    expect(resizeRefusal({ name: "web-1", from, to: plan({}), host: host(), poolId: "p1" })).toBeNull();
  });

  it("refuses a smaller disk in words, whatever else the plan changes", () => {
    const r = resizeRefusal({ name: "web-1", from, to: plan({ diskGb: 10, vcpus: 1 }), host: host(), poolId: "p1" });
    expect(r).toMatchObject({ code: "VALIDATION", key: "error.vm.resizeShrink" });
    expect(r!.message).toBe("Plan Medium has a 10 GB disk and web-1's is 20 GB: a disk cannot shrink. Pick a plan with at least 20 GB.");
  });

  it("refuses the same size, and what the host has no room for: vCPUs, memory, disk", () => {
    expect(resizeRefusal({ name: "web-1", from, to: plan(from), host: host(), poolId: "p1" })?.key).toBe("error.vm.resizeSame");
    const cpu = resizeRefusal({ name: "web-1", from, to: plan({ vcpus: 3 }), host: host(), poolId: "p1" });
    expect(cpu?.message).toBe("web-1's host osl-kvm-01 has no room for Medium: its other VMs use 2 of 4 vCPUs and the new plan needs 3.");
    const mem = resizeRefusal({ name: "web-1", from, to: plan({ memoryMb: 6144 }), host: host(), poolId: "p1" });
    expect(mem).toMatchObject({ code: "NO_CAPACITY", key: "error.vm.resizeNoMemory" });
    const disk = resizeRefusal({ name: "web-1", from, to: plan({ diskGb: 80 }), host: host(), poolId: "p1" });
    expect(disk?.message).toBe("web-1's host osl-kvm-01 has 40 GiB free in its storage pool; Medium's disk needs 60 GiB more.");
    // Shrinking vCPUs or memory on a full host is fine: nothing more is taken.
    const full = host({ usedVcpus: 4, usedMemoryMb: 8192 });
    expect(
      resizeRefusal({
        name: "web-1",
        from: { ...from, vcpus: 2, memoryMb: 2048 },
        to: plan({ vcpus: 1, memoryMb: 1024 }),
        host: full,
        poolId: "p1",
      }),
    ).toBeNull();
    expect(resizeRefusal({ name: "web-1", from, to: plan({}), host: host({ cpuCount: null }), poolId: "p1" })?.key).toBe(
      "error.vm.resizeHostUnknown",
    );
  });

  it("takes a plan code and nothing else", () => {
    expect(ResizeVmInput.safeParse({ planCode: "medium" }).success).toBe(true);
    for (const bad of [{}, { planCode: "Medium" }, { planCode: "$(id)" }, { planCode: "medium", vcpus: 64 }, { planCode: "a".repeat(41) }])
      expect(ResizeVmInput.safeParse(bad).success).toBe(false);
  });

  it("grows the root filesystem with sh only and prints its size last", () => {
    expect(GROW_FILESYSTEM_SCRIPT).toContain("resize2fs");
    expect(GROW_FILESYSTEM_SCRIPT.trim().split("\n").at(-1)).toBe("df -B1 --output=size / | tail -n1 | tr -d ' '");
  });
});
