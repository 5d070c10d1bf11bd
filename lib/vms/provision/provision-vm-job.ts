import { defineJob } from "../../jobs/define";
import { allocatePortStep } from "./allocate-port";
import { buildSeedStep } from "./build-seed";
import { cloneAndSeedStep } from "./clone-and-seed";
import { cloneDiskStep } from "./clone-disk";
import { defineStartStep } from "./define-start";
import { hardenStep } from "./harden";
import { hostNetworkStep } from "./host-network";
import { ProvisionVmPayload } from "./payload";
import { placeStep } from "./place";
import { readyStep } from "./ready";
import { reserveStep } from "./reserve";
import { verifyStep } from "./verify";
import { waitSshStep } from "./wait-ssh";

// An ordered VM, from PENDING to RUNNING with SSH answering and a hardening report. Every step checks
// before it creates; a permanent failure rolls back in reverse (domain, tap, seed, disk, port, state).
// Version 3 makes the disk and the seed at the same time (clone-and-seed); version 2 set up the host
// side of the VM's public NIC (host-network) before the domain.
// What every version shares: the first steps, the steps from the domain on, and the retry policy.
const FIRST = [reserveStep, placeStep, allocatePortStep] as const;
const FROM_DOMAIN = [defineStartStep, waitSshStep, hardenStep, verifyStep, readyStep] as const;
const RETRY = { maxAttempts: 6, baseDelayMs: 2_000, maxDelayMs: 30_000 };

export const provisionVmJob = defineJob({
  name: "vm.provision",
  version: 3,
  payload: ProvisionVmPayload,
  steps: [...FIRST, cloneAndSeedStep, hostNetworkStep, ...FROM_DOMAIN],
  retry: RETRY,
});

/** Version 2 (disk, then seed), kept registered while jobs enqueued before version 3 may still run. */
export const provisionVmJobV2 = defineJob({
  name: "vm.provision",
  version: 2,
  payload: ProvisionVmPayload,
  steps: [...FIRST, cloneDiskStep, buildSeedStep, hostNetworkStep, ...FROM_DOMAIN],
  retry: RETRY,
});

/** Version 1 (no host network step), kept registered while jobs enqueued before version 2 may still run. */
export const provisionVmJobV1 = defineJob({
  name: "vm.provision",
  payload: ProvisionVmPayload,
  steps: [...FIRST, cloneDiskStep, buildSeedStep, ...FROM_DOMAIN],
  retry: RETRY,
});
