import { defineJob } from "../../jobs/define";
import { ProvisionVmPayload } from "./payload";
import { allocatePortStep } from "./allocate-port";
import { defineStartStep, waitSshStep } from "./define-start";
import { hardenStep, readyStep, verifyStep } from "./harden";
import { placeStep } from "./place";
import { reserveStep } from "./reserve";
import { buildSeedStep, cloneDiskStep } from "./clone-disk";

// An ordered VM, from PENDING to RUNNING with SSH answering and a hardening report. Every step checks
// before it creates; a permanent failure rolls back in reverse (domain, seed, disk, port, state).
export const provisionVmJob = defineJob({
  name: "vm.provision",
  payload: ProvisionVmPayload,
  steps: [reserveStep, placeStep, allocatePortStep, cloneDiskStep, buildSeedStep, defineStartStep, waitSshStep, hardenStep, verifyStep, readyStep],
  retry: { maxAttempts: 6, baseDelayMs: 2_000, maxDelayMs: 30_000 },
});
