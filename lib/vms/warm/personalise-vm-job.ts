import { defineJob } from "../../jobs/define";
import { hardenStep } from "../provision/harden";
import { ProvisionVmPayload } from "../provision/payload";
import { readyStep } from "../provision/ready";
import { reserveStep } from "../provision/reserve";
import { verifyStep } from "../provision/verify";
import { personaliseStep } from "./personalise";

// An order served from the warm pool: the taken guest is personalised for its tenant, then hardened
// and reported on by the same steps as a cold VM, and handed over. A permanent failure discards the
// guest (personalise's undo) and fails the VM (reserve's undo): it never returns to the pool.

export const personaliseVmJob = defineJob({
  name: "vm.personalise",
  payload: ProvisionVmPayload,
  steps: [reserveStep, personaliseStep, hardenStep, verifyStep, readyStep],
  retry: { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 30_000 },
});
