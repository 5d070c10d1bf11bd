import type { Prisma } from "../../generated/prisma/client";
import { defineJob } from "../../jobs/define";
import { hardenStep } from "../provision/harden";
import { ProvisionVmPayload } from "../provision/payload";
import { readyStep } from "../provision/ready";
import { reserveStep } from "../provision/reserve";
import { verifyStep } from "../provision/verify";
import { personaliseStep } from "./personalise";

// An order served from the warm pool. Version 2, for a guest hardened when it warmed (vm.warm version
// 2): personalisation installs the tenant's key and a new identity in one exec, then the hardening
// report is made as for a cold VM and must pass before the VM is handed over. Version 1 also re-runs
// the hardening, for a guest warmed before its boot hardened it (placeOrder picks by the guest's
// "hardened" event). A permanent failure discards the guest (personalise's undo) and fails the VM
// (reserve's undo): it never returns to the pool.
const RETRY = { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 30_000 };

export const personaliseVmJob = defineJob({
  name: "vm.personalise",
  version: 2,
  payload: ProvisionVmPayload,
  steps: [reserveStep, personaliseStep, verifyStep, readyStep],
  retry: RETRY,
});

/** Version 1 (hardening re-run at hand-over), for a guest that was not hardened when it warmed. */
export const personaliseVmJobV1 = defineJob({
  name: "vm.personalise",
  payload: ProvisionVmPayload,
  steps: [reserveStep, personaliseStep, hardenStep, verifyStep, readyStep],
  retry: RETRY,
});

/** The version for a taken guest: 2 when its warm boot hardened it (its "hardened" event), else 1. */
export async function personaliseJobFor(tx: Prisma.TransactionClient, vmId: string) {
  const hardened = await tx.vmEvent.count({ where: { vmId, kind: "hardened" } });
  return hardened > 0 ? personaliseVmJob : personaliseVmJobV1;
}
