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
  /** when the host stopped being usable (first failed contact, changed key); null while ONLINE */
  unhealthySince?: Date | null;
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
  /** USER_FORWARD (lab: forwarded ports), ROUTED or BRIDGED (public addresses from pools) */
  networkMode: string;
  /** what keeps a routed or bridged host from addressing guests; null when it is ready */
  networkProblem: string | null;
  /** why a VM placed here now would get no public addresses (full or missing pools); null when it would */
  addressProblem: string | null;
}

export interface PlacementRequest {
  regionCode: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
}

/** A residency or operator rule: returns why the host is refused, or null to allow it. */
export type PlacementPolicy = (host: PlacementHost) => string | null;

/**
 * Why a host cannot take any VM at all, whatever its size: it is not healthy or not ready. Told apart
 * from "full" so a refusal can say "no healthy host" (and why) instead of "no room".
 */
export type HostProblem = "offline" | "error" | "key-mismatch" | "pending-key" | "draining" | "network-not-ready" | "not-discovered";

export interface HostVerdict {
  host: string;
  fits: boolean;
  reason: string;
  /** set when the host is unhealthy or not ready (see HostProblem), with the start of the trouble when known */
  problem?: HostProblem;
  since?: string;
}

/** no-hosts: the region has none; no-healthy-host: none is healthy and ready; no-room: a healthy one is full or lacks the image. */
export type RefusalCause = "no-hosts" | "no-healthy-host" | "no-room";

export type PlacementResult =
  | { ok: true; hostId: string; poolId: string; hostName: string; explanation: string; verdicts: HostVerdict[] }
  | { ok: false; cause: RefusalCause; explanation: string; verdicts: HostVerdict[] };

const STATUS_PROBLEM: Record<string, HostProblem> = {
  OFFLINE: "offline",
  ERROR: "error",
  KEY_MISMATCH: "key-mismatch",
  PENDING_KEY: "pending-key",
};

/** "2026-12-07 11:02 UTC": minutes are what an operator compares with their own notes. */
export function formatSince(at: Date | string): string {
  return `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** The host's problem in words, as refusals and placement notes show it (English; the UI translates from the verdict). */
export function describeHostProblem(v: Pick<HostVerdict, "problem" | "since" | "reason">): string {
  const since = v.since ? ` since ${formatSince(v.since)}` : "";
  switch (v.problem) {
    case "offline":
      return `offline${since}: Skjold cannot reach it over SSH`;
    case "error":
      return `failing${since}: libvirt or discovery error`;
    case "key-mismatch":
      return `stopped${since}: its SSH host key changed and an admin must check it`;
    case "pending-key":
      return "waiting for an admin to confirm its SSH host key";
    default:
      return v.reason;
  }
}

const GIB = 2 ** 30;

type Judgement = { reason: string; poolId?: string; load?: number; problem?: HostProblem; since?: string };

function judge(host: PlacementHost, req: PlacementRequest, policy?: PlacementPolicy): Judgement {
  if (host.regionCode !== req.regionCode) return { reason: `in region ${host.regionCode}, not ${req.regionCode}` };
  if (host.status !== "ONLINE") {
    const problem = STATUS_PROBLEM[host.status] ?? "error";
    const since = host.unhealthySince ? host.unhealthySince.toISOString() : undefined;
    return { reason: describeHostProblem({ problem, since, reason: host.status }), problem, since };
  }
  if (host.draining) return { reason: "draining", problem: "draining" };
  const refused = policy?.(host);
  if (refused) return { reason: refused };
  if (!host.cpuCount || !host.memoryMb) return { reason: "capacity not discovered yet", problem: "not-discovered" };
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
  if (host.networkMode === "USER_FORWARD" && host.freePorts < 1) return { reason: "no free SSH forward port" };
  if (host.networkMode !== "USER_FORWARD" && host.networkProblem) {
    return { reason: `network not ready (${host.networkProblem})`, problem: "network-not-ready" };
  }
  if (host.networkMode !== "USER_FORWARD" && host.addressProblem) return { reason: `no public address: ${host.addressProblem}` };
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
  const verdicts: HostVerdict[] = judged.map((j) => ({
    host: j.host.name,
    fits: j.poolId !== undefined,
    reason: j.reason,
    ...(j.problem ? { problem: j.problem } : {}),
    ...(j.since ? { since: j.since } : {}),
  }));
  const fitting = judged.filter((j) => j.poolId !== undefined && j.load !== undefined);
  if (fitting.length === 0) {
    const inRegion = verdicts.filter((_, i) => judged[i]!.host.regionCode === opts.request.regionCode);
    const cause: RefusalCause = inRegion.length === 0 ? "no-hosts" : inRegion.every((v) => v.problem) ? "no-healthy-host" : "no-room";
    const why = verdicts.length ? verdicts.map((v) => `${v.host}: ${v.reason}`).join("; ") : "no hosts";
    const headline = cause === "no-healthy-host" ? "No healthy host" : "No host";
    return { ok: false, cause, explanation: `${headline} in ${opts.request.regionCode} can take this VM (${why}).`, verdicts };
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
