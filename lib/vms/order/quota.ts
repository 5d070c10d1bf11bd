import type { ErrorKey, TextParams } from "../../core/error-text";

// Team quotas as a pure decision: what the team may have, what it has, what the order adds.

export interface QuotaFigures {
  vms: number;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
}

export interface QuotaRequest {
  vcpus: number;
  memoryMb: number;
  diskGb: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Returns the message a user reads when the order does not fit the quota, or null when it does. */
export function checkQuota(opts: { limits: QuotaFigures; used: QuotaFigures; request: QuotaRequest }): string | null {
  return quotaRefusal(opts)?.message ?? null;
}

/** The refusal as its English message and as a dictionary key with the figures, for a page in another language. */
export function quotaRefusal(opts: {
  limits: QuotaFigures;
  used: QuotaFigures;
  request: QuotaRequest;
}): { message: string; key: ErrorKey; params: TextParams } | null {
  const { limits, used, request } = opts;
  // The key's variant follows the English plurals: "1 VM" / "2 VMs", "1 is" / "2 are".
  const variant = (limit: number, inUse: number) => `${limit === 1 ? "One" : "Many"}${inUse === 1 ? "One" : "Many"}` as const;
  if (used.vms + 1 > limits.vms)
    return {
      message: `Your team's quota allows ${plural(limits.vms, "VM")}; ${used.vms} ${used.vms === 1 ? "is" : "are"} in use.`,
      key: `error.quota.vms${variant(limits.vms, used.vms)}`,
      params: { limit: limits.vms, used: used.vms },
    };
  if (used.vcpus + request.vcpus > limits.vcpus) {
    return {
      message: `Your team's quota allows ${plural(limits.vcpus, "vCPU")}; ${used.vcpus} ${used.vcpus === 1 ? "is" : "are"} in use and this plan needs ${request.vcpus}.`,
      key: `error.quota.vcpus${variant(limits.vcpus, used.vcpus)}`,
      params: { limit: limits.vcpus, used: used.vcpus, needs: request.vcpus },
    };
  }
  if (used.memoryMb + request.memoryMb > limits.memoryMb) {
    return {
      message: `Your team's quota allows ${limits.memoryMb} MiB of memory; ${used.memoryMb} MiB are in use and this plan needs ${request.memoryMb} MiB.`,
      key: "error.quota.memory",
      params: { limit: limits.memoryMb, used: used.memoryMb, needs: request.memoryMb },
    };
  }
  if (used.diskGb + request.diskGb > limits.diskGb) {
    return {
      message: `Your team's quota allows ${limits.diskGb} GB of disk; ${used.diskGb} GB are in use and this plan needs ${request.diskGb} GB.`,
      key: "error.quota.disk",
      params: { limit: limits.diskGb, used: used.diskGb, needs: request.diskGb },
    };
  }
  return null;
}

/** What the order page shows: the quota an order of this size would use, per figure. */
export function quotaAfter(used: QuotaFigures, request: QuotaRequest): QuotaFigures {
  return {
    vms: used.vms + 1,
    vcpus: used.vcpus + request.vcpus,
    memoryMb: used.memoryMb + request.memoryMb,
    diskGb: used.diskGb + request.diskGb,
  };
}
