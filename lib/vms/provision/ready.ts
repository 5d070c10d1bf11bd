import type { StepDefinition } from "../../jobs/define";
import { loadVm } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import type { ProvisionVmPayload } from "./payload";

// The last word of provisioning: the VM is RUNNING and its team reads how to reach it.

export const readyStep: StepDefinition<ProvisionVmPayload> = {
  key: "ready",
  async run({ prisma, payload }) {
    const vm = await loadVm(prisma, payload.vmId);
    if (vm.state === "PROVISIONING") {
      await prisma.virtualMachine.update({ where: { id: vm.id }, data: { state: "RUNNING", readyAt: new Date(), lastError: null } });
      await addVmEvent({
        prisma,
        vmId: vm.id,
        kind: "ready",
        message: vm.ipAddress
          ? `Ready: ssh ${vm.adminUser}@${vm.ipAddress}${vm.ipv6Address ? ` or ssh ${vm.adminUser}@${vm.ipv6Address}` : ""}`
          : `Ready: ssh -p ${vm.sshPort} ${vm.adminUser}@${vm.sshHost ?? "127.0.0.1"} on ${vm.host?.name ?? "its host"}`,
        key: vm.ipAddress ? (vm.ipv6Address ? "event.readyDual" : "event.readyPublic") : "event.readyForwarded",
        params: {
          user: vm.adminUser,
          ipv4: vm.ipAddress,
          ipv6: vm.ipv6Address,
          port: vm.sshPort,
          address: vm.sshHost ?? "127.0.0.1",
          host: vm.host?.name ?? "its host",
        },
      });
    }
    return { state: "RUNNING" };
  },
};
