import { z } from "zod";
import { defineJob } from "../../jobs/define";
import { loadVm, requirePlaced } from "../shared/load-vm";
import { applyVmFirewall } from "./apply-vm-firewall";

// Applies a VM's firewall on its host after its rule sets (or a set's rules) changed. A VM not yet
// placed or still provisioning gets its rules from the provisioning step (host-network); a VM being
// deleted loses them with its tap.

const FirewallVmPayload = z.strictObject({ vmId: z.uuid() });

export const firewallVmJob = defineJob({
  name: "vm.firewall",
  payload: FirewallVmPayload,
  retry: { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 15_000 },
  steps: [
    {
      key: "apply",
      async run({ prisma, payload }) {
        const vm = await loadVm(prisma, payload.vmId);
        if (!vm.host || !vm.pool || !["RUNNING", "STOPPED", "PROVISIONING"].includes(vm.state))
          return { skipped: `VM is ${vm.state.toLowerCase()}` };
        return applyVmFirewall({ prisma, vm: requirePlaced(vm) });
      },
    },
  ],
});
