import { defineJob } from "../../jobs/define";
import { allocatePortStep } from "../provision/allocate-port";
import { cloneAndSeedStep } from "../provision/clone-and-seed";
import { defineStartStep } from "../provision/define-start";
import { ProvisionVmPayload } from "../provision/payload";
import { placeStep } from "../provision/place";
import { readyStep } from "../provision/ready";
import { reserveStep } from "../provision/reserve";
import { waitSshStep } from "../provision/wait-ssh";

// A warm guest, booted by the provisioning steps themselves: its row has no team, so the seed carries
// Skjold's management key only, the residency ledger stays closed (no tenant data) and it keeps the
// host the refill chose. It is not hardened for a tenant yet: personalisation does that, then the
// hardening report is made as for a cold VM (personalise-vm-job.ts).

export const warmVmJob = defineJob({
  name: "vm.warm",
  payload: ProvisionVmPayload,
  steps: [reserveStep, placeStep, allocatePortStep, cloneAndSeedStep, defineStartStep, waitSshStep, readyStep],
  retry: { maxAttempts: 4, baseDelayMs: 2_000, maxDelayMs: 30_000 },
});
