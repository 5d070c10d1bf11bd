import { defineJob } from "../../jobs/define";
import { allocatePortStep } from "./allocate-port";
import { buildSeedStep } from "./build-seed";
import { cloneDiskStep } from "./clone-disk";
import { defineStartStep } from "./define-start";
import { hardenStep } from "./harden";
import { ProvisionVmPayload } from "./payload";
import { placeStep } from "./place";
import { readyStep } from "./ready";
import { reserveStep } from "./reserve";
import { verifyStep } from "./verify";
import { waitSshStep } from "./wait-ssh";

// An ordered VM, from PENDING to RUNNING with SSH answering and a hardening report. Every step checks
// before it creates; a permanent failure rolls back in reverse (domain, seed, disk, port, state).
export const provisionVmJob = defineJob({
  name: "vm.provision",
  payload: ProvisionVmPayload,
  steps: [
    reserveStep,
    placeStep,
    allocatePortStep,
    cloneDiskStep,
    buildSeedStep,
    defineStartStep,
    waitSshStep,
    hardenStep,
    verifyStep,
    readyStep,
  ],
  retry: { maxAttempts: 6, baseDelayMs: 2_000, maxDelayMs: 30_000 },
});
