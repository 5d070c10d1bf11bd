import { AppError } from "../../core/errors";
import type { StepDefinition } from "../../jobs/define";
import { loadVm, requirePlaced, vmHostContext } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import type { ProvisionVmPayload } from "./payload";
import { candidatePorts, parseListeningPorts } from "./ports";

// Lab hosts (user-mode networking) forward one loopback port per guest to its port 22. The port is
// unique per host in the database (a unique index) and checked free on the host itself. Routed and
// bridged hosts need none.

export const allocatePortStep: StepDefinition<ProvisionVmPayload> = {
  key: "allocate-port",
  async run({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    // A routed or bridged guest answers on its own address: nothing is forwarded.
    if (vm.host.networkMode !== "USER_FORWARD") return { sshPort: null };
    if (vm.sshPort) return { sshPort: vm.sshPort };
    const ctx = vmHostContext(vm, prisma);
    const listening = parseListeningPorts(
      (await ctx.pool.exec({ target: ctx.target, argv: ["ss", "-Htln"], step: "list listening ports" })).stdout,
    );
    const port = await prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM "Host" WHERE id = ${vm.host.id}::uuid FOR UPDATE`;
        const held = await tx.virtualMachine.findMany({ where: { hostId: vm.host.id, sshPort: { not: null } }, select: { sshPort: true } });
        const [free] = candidatePorts({
          start: vm.host.forwardPortStart,
          end: vm.host.forwardPortEnd,
          taken: [...held.map((h) => h.sshPort!), ...listening],
          limit: 1,
        });
        if (free === undefined)
          throw new AppError(
            "NO_CAPACITY",
            `Host ${vm.host.name} has no free SSH forward port in ${vm.host.forwardPortStart}–${vm.host.forwardPortEnd}`,
            {
              key: "error.host.noForwardPort",
              params: { host: vm.host.name, start: vm.host.forwardPortStart, end: vm.host.forwardPortEnd },
            },
          );
        await tx.virtualMachine.update({ where: { id: vm.id }, data: { sshPort: free, sshHost: "127.0.0.1" } });
        return free;
      },
      { maxWait: 30_000, timeout: 30_000 },
    );
    await addVmEvent({
      prisma,
      vmId: vm.id,
      kind: "port",
      message: `SSH will be forwarded from ${vm.host.name}'s 127.0.0.1:${port}`,
      key: "event.port",
      params: { host: vm.host.name, port },
    });
    return { sshPort: port };
  },
  async compensate({ prisma, payload }) {
    await prisma.virtualMachine.update({ where: { id: payload.vmId }, data: { sshPort: null } });
  },
};
