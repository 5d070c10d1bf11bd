import { AppError } from "../../core/errors";
import type { StepDefinition } from "../../jobs/define";
import { defineDomain, startDomain, undefineDomain } from "../../libvirt/domains";
import { sharedSshPool } from "../../hosts/host-target";
import type { ProvisionVmPayload } from "./payload";
import { waitForGuestSsh } from "./wait-for-guest-ssh";
import { addVmEvent, diskVolumeName, guestTarget, loadVm, requirePlaced, seedVolumeName, vmHostContext, type PlacedVm } from "../shared/load-vm";

// The image's own kernel and initrd boot the guest directly (the lab image has no bootloader).
const DIRECT_BOOT_CMDLINE = "root=/dev/vda rw console=ttyS0";
export const SSH_READY_TIMEOUT_MS = 300_000;
const CLOUD_INIT_TIMEOUT_MS = 240_000;

/** A stable MAC from the VM id: a guest keeps its address across redefinitions. */
export const macFor = (vmId: string) => `52:54:00:${vmId.slice(0, 2)}:${vmId.slice(2, 4)}:${vmId.slice(4, 6)}`;

async function domainSpec(prisma: Parameters<typeof loadVm>[0], vm: PlacedVm) {
  if (vm.host.accelerator === "UNKNOWN") {
    throw new AppError("CONFLICT", `Host ${vm.host.name}: its accelerator (KVM or TCG) has not been probed yet; run host discovery`);
  }
  const copy = await prisma.imageCopy.findUnique({ where: { imageId_hostId: { imageId: vm.imageId, hostId: vm.host.id } } });
  return {
    name: vm.domainName,
    type: vm.host.accelerator === "KVM" ? ("kvm" as const) : ("qemu" as const),
    vcpus: vm.vcpus,
    memoryMiB: vm.memoryMb,
    kernel: copy?.kernelPath ? { kernelPath: copy.kernelPath, initrdPath: copy.initrdPath ?? undefined, cmdline: DIRECT_BOOT_CMDLINE } : undefined,
    disk: { pool: vm.pool.name, volume: diskVolumeName(vm.domainName) },
    seed: { pool: vm.pool.name, volume: seedVolumeName(vm.domainName) },
    network: { mode: "user-forward" as const, sshPort: vm.sshPort!, mac: macFor(vm.id) },
    description: `Skjold VM ${vm.name} of team ${vm.team.slug} (${vm.id})`,
  };
}

export const defineStartStep: StepDefinition<ProvisionVmPayload> = {
  key: "define-start",
  async run({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    const ctx = vmHostContext(vm);
    const spec = await domainSpec(prisma, vm);
    await defineDomain({ ...ctx, spec });
    await startDomain({ ...ctx, name: vm.domainName });
    const how = spec.type === "kvm" ? "KVM" : "TCG (software emulation: this host offers no working KVM)";
    await addVmEvent({ prisma, vmId: vm.id, kind: "started", message: `Domain ${vm.domainName} defined and started on ${vm.host.name} with ${how}` });
    return { accelerator: spec.type };
  },
  async compensate({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    await undefineDomain({ ...vmHostContext(vm), name: vm.domainName, removeStorage: false });
  },
};

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
      then: { command: "cloud-init status --wait", timeoutMs: CLOUD_INIT_TIMEOUT_MS },
    });
    const status = /status: (\w+)/.exec(answered.stdout)?.[1] ?? "unknown";
    await addVmEvent({ prisma, vmId: vm.id, kind: "ssh-ready", message: `SSH answers with the pinned host key ${vm.guestHostKeyFingerprint} (after ${(answered.elapsedMs / 1000).toFixed(1)} s in this attempt); cloud-init: ${status}` });
    return { elapsedMs: answered.elapsedMs, attempts: answered.attempts, cloudInit: status };
  },
};
