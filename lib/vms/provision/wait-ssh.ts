import { AppError } from "../../core/errors";
import type { BootFailure } from "../../guest/boot-console";
import { sharedSshPool } from "../../hosts/host-target";
import type { StepDefinition } from "../../jobs/define";
import { resumeDomain } from "../../libvirt/domains";
import { guestTarget } from "../shared/guest-target";
import { loadVm, requirePlaced, vmHostContext, type PlacedVm } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import type { ProvisionVmPayload } from "./payload";
import { watchBootConsole, type BootConsoleWatch } from "./watch-boot-console";
import { waitForGuestSsh } from "./wait-for-guest-ssh";

const SSH_READY_TIMEOUT_MS = 300_000;
const CLOUD_INIT_TIMEOUT_MS = 240_000;

// The guest's serial console is read while SSH is awaited (define-start left the domain paused, so
// the console is attached before the firmware's first line): a guest that shows it cannot boot ends
// the wait at once and fails the order for good, in words, with the console's last lines on the VM.

/** The permanent failure a console line means: waiting or ordering again gives the same boot. */
function bootFailureError(failure: BootFailure, vm: PlacedVm): AppError {
  const { line } = failure;
  if (failure.kind === "no-bootable-device") {
    const image = vm.image.slug;
    return new AppError(
      "CONFLICT",
      `The guest found no bootable device on its disk: image ${image} has no boot loader, so it must be registered with its kernel and initrd (Admin → Images)`,
      { key: "error.vm.bootNoDevice", params: { image } },
    );
  }
  if (failure.kind === "kernel-panic")
    return new AppError(
      "CONFLICT",
      `The guest's kernel panicked while booting ("${line}"); the console's last lines are on the VM's page`,
      { key: "error.vm.bootKernelPanic", params: { line } },
    );
  if (failure.kind === "grub-rescue")
    return new AppError(
      "CONFLICT",
      `The guest's boot loader stopped at GRUB's rescue prompt ("${line}"): it cannot find its own files on the disk; the console's last lines are on the VM's page`,
      { key: "error.vm.bootGrubRescue", params: { line } },
    );
  return new AppError(
    "CONFLICT",
    `The guest stopped in an emergency shell while booting ("${line}"): a file system or a service it needs failed; the console's last lines are on the VM's page`,
    { key: "error.vm.bootEmergencyShell", params: { line } },
  );
}

export const waitSshStep: StepDefinition<ProvisionVmPayload> = {
  key: "wait-ssh",
  async run({ prisma, payload, signal, log }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    const ctx = vmHostContext(vm, prisma);
    const bootConsole = await watchBootConsole({ ...ctx, name: vm.domainName, log });
    const stop = new AbortController();
    const forward = () => stop.abort();
    signal.addEventListener("abort", forward, { once: true });
    try {
      await resumeDomain({ ...ctx, name: vm.domainName });
      // cloud-init's last stage (firewall, sysctls, sshd reload) may still run when SSH first answers:
      // the probe waits for it on the same connection, so hardening never runs beside it.
      const tcg = vm.host.accelerator !== "KVM";
      const timeoutMs = tcg ? 2 * SSH_READY_TIMEOUT_MS : SSH_READY_TIMEOUT_MS;
      const waiting = waitForGuestSsh({
        pool: sharedSshPool(),
        target: guestTarget(vm),
        timeoutMs,
        phaseMs: tcg ? 45_000 : 15_000,
        signal: stop.signal,
        afterLogin: { command: "cloud-init status --wait", timeoutMs: CLOUD_INIT_TIMEOUT_MS },
      });
      waiting.catch(() => undefined); // a wait ended by a boot failure rejects unread
      const first = await Promise.race([
        waiting.then(
          (answered) => ({ answered }),
          (error: unknown) => ({ error }),
        ),
        bootConsole.failure.then((failure) => ({ failure })),
      ]);
      if ("failure" in first) {
        stop.abort();
        await keepConsole({ prisma, vm, bootConsole, kind: "boot-failed", failure: first.failure });
        throw bootFailureError(first.failure, vm);
      }
      if ("error" in first) {
        if (first.error instanceof AppError && first.error.code === "TIMEOUT" && !signal.aborted)
          await keepConsole({ prisma, vm, bootConsole, kind: "ssh-timeout", seconds: Math.round(timeoutMs / 1000) });
        throw first.error;
      }
      const { answered } = first;
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
    } finally {
      signal.removeEventListener("abort", forward);
      bootConsole.close();
    }
  },
};

/** The console's last lines on the VM's timeline (`data.console`), for its page to show; nothing when it was not read. */
async function keepConsole(
  opts: { prisma: Parameters<typeof addVmEvent>[0]["prisma"]; vm: PlacedVm; bootConsole: BootConsoleWatch } & (
    | { kind: "boot-failed"; failure: BootFailure }
    | { kind: "ssh-timeout"; seconds: number }
  ),
): Promise<void> {
  if (!opts.bootConsole.attached) return;
  const lines = opts.bootConsole.tail();
  const base = { prisma: opts.prisma, vmId: opts.vm.id, data: { console: lines } };
  if (opts.kind === "boot-failed") {
    const { line, kind } = opts.failure;
    await addVmEvent({
      ...base,
      kind: "boot-failed",
      message: `The guest cannot boot: its console says "${line}"`,
      data: { console: lines, failure: kind },
      key: "event.bootFailed",
      params: { line },
    });
    return;
  }
  await addVmEvent({
    ...base,
    kind: "ssh-timeout",
    message: `SSH did not answer within ${opts.seconds} s; the console's last lines are kept`,
    key: "event.sshTimeout",
    params: { seconds: opts.seconds },
  });
}
