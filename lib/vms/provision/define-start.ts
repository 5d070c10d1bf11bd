import { AppError } from "../../core/errors";
import type { StepDefinition } from "../../jobs/define";
import { defineAndStartDomain, undefineDomain } from "../../libvirt/domains";
import { loadVm, requirePlaced, vmHostContext, type PlacedVm } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import { isPublicMode, tapOf, vmMac } from "../shared/vm-nic";
import { loadPrivateNics } from "../shared/private-nics";
import { privateTapOf } from "../../network/private/private-host-script";
import { diskVolumeName, seedVolumeName } from "../shared/volume-names";
import type { ProvisionVmPayload } from "./payload";

// Defined and started in one round trip to the host (lib/libvirt/domains.ts defineAndStartDomain).
// The image's own kernel and initrd boot the guest directly (the lab image has no bootloader).
const DIRECT_BOOT_CMDLINE = "root=/dev/vda rw console=ttyS0";

async function domainSpec(prisma: Parameters<typeof loadVm>[0], vm: PlacedVm) {
  if (vm.host.accelerator === "UNKNOWN") {
    throw new AppError("CONFLICT", `Host ${vm.host.name}: its accelerator (KVM or TCG) has not been probed yet; run host discovery`, {
      key: "error.host.acceleratorUnprobed",
      params: { host: vm.host.name },
    });
  }
  const copy = await prisma.imageCopy.findUnique({ where: { imageId_hostId: { imageId: vm.imageId, hostId: vm.host.id } } });
  return {
    name: vm.domainName,
    type: vm.host.accelerator === "KVM" ? ("kvm" as const) : ("qemu" as const),
    vcpus: vm.vcpus,
    memoryMiB: vm.memoryMb,
    kernel: copy?.kernelPath
      ? { kernelPath: copy.kernelPath, initrdPath: copy.initrdPath ?? undefined, cmdline: DIRECT_BOOT_CMDLINE }
      : undefined,
    disk: { pool: vm.pool.name, volume: diskVolumeName(vm.domainName) },
    seed: { pool: vm.pool.name, volume: seedVolumeName(vm.domainName) },
    // A public NIC is the tap host-network made; a lab NIC is qemu's user-mode network.
    ...(isPublicMode(vm.host.networkMode)
      ? {
          taps: [
            { dev: tapOf(vm.domainName), mac: vmMac(vm) },
            ...(await loadPrivateNics(prisma, vm.id)).map((n) => ({ dev: privateTapOf(vm.domainName, n.slot), mac: n.mac })),
          ],
        }
      : { network: { mode: "user-forward" as const, sshPort: vm.sshPort!, mac: vmMac(vm) } }),
    description: vm.team ? `Skjold VM ${vm.name} of team ${vm.team.slug} (${vm.id})` : `Skjold warm guest ${vm.name} (${vm.id})`,
  };
}

export const defineStartStep: StepDefinition<ProvisionVmPayload> = {
  key: "define-start",
  async run({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    const ctx = vmHostContext(vm, prisma);
    const spec = await domainSpec(prisma, vm);
    // Paused: wait-ssh attaches to its serial console first, then resumes it (nothing printed is missed).
    await defineAndStartDomain({ ...ctx, spec, paused: true });
    const how = spec.type === "kvm" ? "KVM" : "TCG (software emulation: this host offers no working KVM)";
    await addVmEvent({
      prisma,
      vmId: vm.id,
      kind: "started",
      message: `Domain ${vm.domainName} defined and started on ${vm.host.name} with ${how}`,
      key: spec.type === "kvm" ? "event.startedKvm" : "event.startedTcg",
      params: { domain: vm.domainName, host: vm.host.name },
    });
    return { accelerator: spec.type };
  },
  async compensate({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    await undefineDomain({ ...vmHostContext(vm, prisma), name: vm.domainName, removeStorage: false });
  },
};
