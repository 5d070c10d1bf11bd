// Pure: what a host has and what Skjold has promised from it. FAILED and DELETED VMs hold nothing
// (their resources were rolled back or released).

export interface HostCapacity {
  vcpus: { allocated: number; total: number };
  memoryMb: { allocated: number; total: number };
  diskGb: { allocated: number; totalBytes: number; availableBytes: number };
  vms: number;
}

const HOLDS_RESOURCES = new Set(["PENDING", "PROVISIONING", "RUNNING", "STOPPED", "DELETING"]);

export function summarizeCapacity(opts: {
  host: { cpuCount: number | null; memoryMb: number | null; vcpuOvercommit: number };
  pools: ReadonlyArray<{ capacityBytes: bigint; availableBytes: bigint }>;
  vms: ReadonlyArray<{ state: string; vcpus: number; memoryMb: number; diskGb: number }>;
}): HostCapacity {
  const holding = opts.vms.filter((v) => HOLDS_RESOURCES.has(v.state));
  const sum = (f: (v: (typeof holding)[number]) => number) => holding.reduce((a, v) => a + f(v), 0);
  return {
    vcpus: { allocated: sum((v) => v.vcpus), total: Math.floor((opts.host.cpuCount ?? 0) * opts.host.vcpuOvercommit) },
    memoryMb: { allocated: sum((v) => v.memoryMb), total: opts.host.memoryMb ?? 0 },
    diskGb: {
      allocated: sum((v) => v.diskGb),
      totalBytes: Number(opts.pools.reduce((a, p) => a + p.capacityBytes, BigInt(0))),
      availableBytes: Number(opts.pools.reduce((a, p) => a + p.availableBytes, BigInt(0))),
    },
    vms: holding.length,
  };
}
