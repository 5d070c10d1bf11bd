import { defineJob } from "../../jobs/define";
import { allocatePortStep } from "../provision/allocate-port";
import { cloneAndSeedStep } from "../provision/clone-and-seed";
import { defineStartStep } from "../provision/define-start";
import { hardenStep } from "../provision/harden";
import { ProvisionVmPayload } from "../provision/payload";
import { placeStep } from "../provision/place";
import { readyStep } from "../provision/ready";
import { reserveStep } from "../provision/reserve";
import { waitSshStep } from "../provision/wait-ssh";

// A warm guest, booted by the provisioning steps themselves: its row has no team, so the seed carries
// Skjold's management key only, the residency ledger stays closed (no tenant data) and it keeps the
// host the refill chose. Version 2 hardens it here, before it is ready in the pool, with everything
// that does not depend on a tenant (the admin user's only key is the management key): an order then
// only installs the tenant's key and identity and re-runs the hardening report (personalise-vm-job.ts).
const FIRST = [reserveStep, placeStep, allocatePortStep, cloneAndSeedStep, defineStartStep, waitSshStep] as const;
const RETRY = { maxAttempts: 4, baseDelayMs: 2_000, maxDelayMs: 30_000 };

export const warmVmJob = defineJob({
  name: "vm.warm",
  version: 2,
  payload: ProvisionVmPayload,
  steps: [...FIRST, hardenStep, readyStep],
  retry: RETRY,
});

/** Version 1 (not hardened before the pool), kept registered while guests warmed before version 2 may still boot. */
export const warmVmJobV1 = defineJob({
  name: "vm.warm",
  payload: ProvisionVmPayload,
  steps: [...FIRST, readyStep],
  retry: RETRY,
});
