// Where a VM goes: a pure decision over a snapshot of the region's hosts, so it can be tested without
// a database and explained to the user. The caller takes the snapshot under a row lock on the region
// and acts on the answer in the same transaction.

export type PlacementStrategy = "spread" | "pack";

interface PlacementPool {
  id: string;
  name: string;
  availableBytes: bigint | number;
}

export interface PlacementHost {
  id: string;
  name: string;
  regionCode: string;
  status: string; // HostStatus
  draining: boolean;
  cpuCount: number | null;
  memoryMb: number | null;
  vcpuOvercommit: number;
  /** vCPUs and memory of the live VMs already on this host (this VM's own excluded) */
  usedVcpus: number;
  usedMemoryMb: number;
  pools: PlacementPool[];
  /** pools on this host that hold a copy of the requested image */
  imagePoolIds: string[];
  /** forwarded SSH ports still free on this host (user-mode networking) */
  freePorts: number;
}

export interface PlacementRequest {
  regionCode: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
}

/** A residency or operator rule: returns why the host is refused, or null to allow it. */
export type PlacementPolicy = (host: PlacementHost) => string | null;

interface HostVerdict {
  host: string;
  fits: boolean;
  reason: string;
}

export type PlacementResult =
  | { ok: true; hostId: string; poolId: string; hostName: string; explanation: string; verdicts: HostVerdict[] }
  | { ok: false; explanation: string; verdicts: HostVerdict[] };

const GIB = 2 ** 30;

function judge(host: PlacementHost, req: PlacementRequest, policy?: PlacementPolicy): { reason: string; poolId?: string; load?: number } {
  if (host.regionCode !== req.regionCode) return { reason: `in region ${host.regionCode}, not ${req.regionCode}` };
  if (host.status !== "ONLINE") return { reason: `not online (${host.status.toLowerCase().replace("_", " ")})` };
  if (host.draining) return { reason: "draining" };
  const refused = policy?.(host);
  if (refused) return { reason: refused };
  if (!host.cpuCount || !host.memoryMb) return { reason: "capacity not discovered yet" };
  const pool = host.pools
    .filter((p) => host.imagePoolIds.includes(p.id))
    .sort((a, b) => Number(BigInt(b.availableBytes) - BigInt(a.availableBytes)))[0];
  if (!pool) return { reason: "does not have the image" };
  const vcpuCap = Math.floor(host.cpuCount * host.vcpuOvercommit);
  if (host.usedVcpus + req.vcpus > vcpuCap) return { reason: `vCPUs full (${host.usedVcpus} of ${vcpuCap} in use, ${req.vcpus} needed)` };
  if (host.usedMemoryMb + req.memoryMb > host.memoryMb) {
    return { reason: `memory full (${host.usedMemoryMb} of ${host.memoryMb} MiB in use, ${req.memoryMb} needed)` };
  }
  if (BigInt(pool.availableBytes) < BigInt(req.diskGb) * BigInt(GIB)) {
    return { reason: `pool ${pool.name} has ${Math.floor(Number(pool.availableBytes) / GIB)} GiB free, ${req.diskGb} needed` };
  }
  if (host.freePorts < 1) return { reason: "no free SSH forward port" };
  // Load after placing: the larger of the CPU and memory shares, so either resource can be the limit.
  const load = Math.max((host.usedVcpus + req.vcpus) / vcpuCap, (host.usedMemoryMb + req.memoryMb) / host.memoryMb);
  return { reason: `fits: ${Math.round(load * 100)} % loaded after placing`, poolId: pool.id, load };
}

/**
 * Chooses a host for the request. "spread" takes the host that stays least loaded, "pack" the one
 * that becomes most loaded (keeping others empty); ties go to the host name, so the answer is stable.
 */
export function placeVm(opts: {
  hosts: readonly PlacementHost[];
  request: PlacementRequest;
  strategy: PlacementStrategy;
  policy?: PlacementPolicy;
}): PlacementResult {
  const judged = opts.hosts.map((h) => ({ host: h, ...judge(h, opts.request, opts.policy) }));
  const verdicts: HostVerdict[] = judged.map((j) => ({ host: j.host.name, fits: j.poolId !== undefined, reason: j.reason }));
  const fitting = judged.filter((j) => j.poolId !== undefined && j.load !== undefined);
  if (fitting.length === 0) {
    const why = verdicts.length ? verdicts.map((v) => `${v.host}: ${v.reason}`).join("; ") : "no hosts";
    return { ok: false, explanation: `No host in ${opts.request.regionCode} can take this VM (${why}).`, verdicts };
  }
  const sign = opts.strategy === "spread" ? 1 : -1;
  fitting.sort((a, b) => sign * (a.load! - b.load!) || a.host.name.localeCompare(b.host.name));
  const best = fitting[0]!;
  const others = fitting.length - 1;
  const explanation =
    `${best.host.name}: ${opts.strategy === "spread" ? "least" : "most"} loaded host that fits ` +
    `(${Math.round(best.load! * 100)} % after placing${others ? `; ${others} other host${others > 1 ? "s" : ""} also fit` : ""}).`;
  return { ok: true, hostId: best.host.id, poolId: best.poolId!, hostName: best.host.name, explanation, verdicts };
}
