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
  const { limits, used, request } = opts;
  if (used.vms + 1 > limits.vms)
    return `Your team's quota allows ${plural(limits.vms, "VM")}; ${used.vms} ${used.vms === 1 ? "is" : "are"} in use.`;
  if (used.vcpus + request.vcpus > limits.vcpus) {
    return `Your team's quota allows ${plural(limits.vcpus, "vCPU")}; ${used.vcpus} ${used.vcpus === 1 ? "is" : "are"} in use and this plan needs ${request.vcpus}.`;
  }
  if (used.memoryMb + request.memoryMb > limits.memoryMb) {
    return `Your team's quota allows ${limits.memoryMb} MiB of memory; ${used.memoryMb} MiB are in use and this plan needs ${request.memoryMb} MiB.`;
  }
  if (used.diskGb + request.diskGb > limits.diskGb) {
    return `Your team's quota allows ${limits.diskGb} GB of disk; ${used.diskGb} GB are in use and this plan needs ${request.diskGb} GB.`;
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
