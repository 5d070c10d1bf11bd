import { sharedSshPool } from "../../hosts/host-target";
import type { StepDefinition } from "../../jobs/define";
import { guestTarget } from "../shared/guest-target";
import { loadVm, requirePlaced } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import type { ProvisionVmPayload } from "./payload";
import { waitForGuestSsh } from "./wait-for-guest-ssh";

const SSH_READY_TIMEOUT_MS = 300_000;
const CLOUD_INIT_TIMEOUT_MS = 240_000;

export const waitSshStep: StepDefinition<ProvisionVmPayload> = {
  key: "wait-ssh",
  async run({ prisma, payload, signal }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    // cloud-init's last stage (firewall, sysctls, sshd reload) may still run when SSH first answers:
    // the probe waits for it on the same connection, so hardening never runs beside it.
    const tcg = vm.host.accelerator !== "KVM";
    const answered = await waitForGuestSsh({
      pool: sharedSshPool(),
      target: guestTarget(vm),
      timeoutMs: tcg ? 2 * SSH_READY_TIMEOUT_MS : SSH_READY_TIMEOUT_MS,
      phaseMs: tcg ? 45_000 : 15_000,
      signal,
      afterLogin: { command: "cloud-init status --wait", timeoutMs: CLOUD_INIT_TIMEOUT_MS },
    });
    const status = /status: (\w+)/.exec(answered.stdout)?.[1] ?? "unknown";
    await addVmEvent({
      prisma,
      vmId: vm.id,
      kind: "ssh-ready",
      message: `SSH answers with the pinned host key ${vm.guestHostKeyFingerprint} (after ${(answered.elapsedMs / 1000).toFixed(1)} s in this attempt); cloud-init: ${status}`,
      key: "event.sshReady",
      params: { fingerprint: vm.guestHostKeyFingerprint, seconds: (answered.elapsedMs / 1000).toFixed(1), status },
    });
    return { elapsedMs: answered.elapsedMs, attempts: answered.attempts, cloudInit: status };
  },
};
