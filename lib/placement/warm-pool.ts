import { placeVm, type PlacementHost, type PlacementRequest, type PlacementResult } from "./place-vm";

// The warm pool's pure decisions: how many guests a pool lacks, and where a new warm guest may go
// (only where an ordinary order of the same plan would still fit beside it).

export interface WarmPoolCounts {
  size: number;
  /** booted and waiting for an order */
  ready: number;
  /** ordered by the refill, not yet ready */
  warming: number;
}

/** How many warm guests the refill should start for a pool now: never beyond the admin's size. */
export function warmShortfall(pool: WarmPoolCounts): number {
  return Math.max(0, pool.size - pool.ready - pool.warming);
}

/**
 * A host for a new warm guest. Warm guests count against the host's capacity, and a refill must
 * never take the room an ordinary order needs: the host must still fit one more VM of the same plan
 * after the warm guest (the request is doubled, and two forwarded ports must be free). Only
 * user-mode (lab) hosts take warm guests: public addresses are not held for warm guests yet.
 */
export function placeWarmGuest(opts: { hosts: readonly PlacementHost[]; request: PlacementRequest }): PlacementResult {
  const { request } = opts;
  return placeVm({
    hosts: opts.hosts,
    request: { ...request, vcpus: request.vcpus * 2, memoryMb: request.memoryMb * 2, diskGb: request.diskGb * 2 },
    strategy: "spread",
    policy: (h) =>
      h.networkMode !== "USER_FORWARD"
        ? "warm guests are kept on user-mode hosts only"
        : h.freePorts < 2
          ? "no forwarded port would be left for an ordinary order"
          : null,
  });
}
