import { z } from "zod";
import { AppError } from "../../core/errors";
import { defineJob } from "../../jobs/define";
import { destroyDomain, getDomainState, shutdownDomain, startDomain } from "../../libvirt/domains";
import { runVirsh } from "../../libvirt/virsh";
import { loadVm, requirePlaced, vmHostContext } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import { VmPowerActionSchema } from "./schemas";

// Start, shut down (ACPI, forced after two minutes), reboot or force off a VM; the VM row follows
// what libvirt reports afterwards.

const PowerVmPayload = z.strictObject({ vmId: z.uuid(), action: VmPowerActionSchema });

export const powerVmJob = defineJob({
  name: "vm.power",
  payload: PowerVmPayload,
  retry: { maxAttempts: 4, baseDelayMs: 2_000, maxDelayMs: 20_000 },
  steps: [
    {
      key: "apply",
      async run({ prisma, payload }) {
        const vm = requirePlaced(await loadVm(prisma, payload.vmId));
        if (vm.state !== "RUNNING" && vm.state !== "STOPPED")
          throw new AppError("CONFLICT", `VM ${vm.name} is ${vm.state.toLowerCase()}`, {
            key: "error.vm.inState",
            params: { name: vm.name, vmState: vm.state },
          });
        const ctx = { ...vmHostContext(vm, prisma), name: vm.domainName };
        let note: string;
        let noteKey: "started" | "shutDown" | "shutDownForced" | "alreadyOff" | "rebootRequested" | "forcedOff";
        switch (payload.action) {
          case "start":
            await startDomain(ctx);
            note = "Started";
            noteKey = "started";
            break;
          case "shutdown": {
            const how = await shutdownDomain({ ...ctx, timeoutMs: 120_000 });
            note = {
              graceful: "Shut down",
              forced: "Shut down (forced off after the guest did not stop in time)",
              "already-off": "Already off",
            }[how];
            noteKey = ({ graceful: "shutDown", forced: "shutDownForced", "already-off": "alreadyOff" } as const)[how];
            break;
          }
          case "reboot":
            if ((await getDomainState(ctx)) !== "running")
              throw new AppError("CONFLICT", `VM ${vm.name} is not running; start it instead`, {
                key: "error.vm.notRunningStart",
                params: { name: vm.name },
              });
            await runVirsh({ ...ctx, args: ["reboot", "--", vm.domainName], step: `reboot ${vm.domainName}` });
            note = "Reboot requested";
            noteKey = "rebootRequested";
            break;
          case "force-off":
            await destroyDomain(ctx);
            note = "Forced off";
            noteKey = "forcedOff";
            break;
        }
        const state = await getDomainState(ctx);
        const next = state === "running" || state === "idle" || state === "in shutdown" ? "RUNNING" : "STOPPED";
        await prisma.virtualMachine.updateMany({ where: { id: vm.id, state: { in: ["RUNNING", "STOPPED"] } }, data: { state: next } });
        await addVmEvent({
          prisma,
          vmId: vm.id,
          kind: "power",
          message: `${note}; libvirt reports ${state ?? "no domain"}`,
          key: `event.power.${noteKey}`,
          params: { state: state ?? "no domain" },
        });
        return { action: payload.action, domainState: state };
      },
    },
  ],
});
