import { z } from "zod";
import { AppError } from "../../core/errors";
import { defineJob } from "../../jobs/define";
import { changeDomainDevice } from "../../libvirt/domains";
import {
  buildGuestPrivateNicUp,
  buildPrivateNicRemoval,
  buildPrivateNicXml,
  guestPrivateNicFile,
  privateTapOf,
} from "../../network/private/private-host-script";
import { quoteArg } from "../../ssh/quote";
import { loadVm, requirePlaced, vmHostContext, type PlacedVm } from "../shared/load-vm";
import { applyPrivateNics, leavePrivateSegments, loadPrivateNics, type LoadedPrivateNic } from "../shared/private-nics";
import { addVmEvent } from "../shared/vm-events";
import { vmGuestShell } from "../shared/vm-guest-shell";

// Attaches a private NIC to a placed VM after its order, or detaches one (issue 14). Attach: the
// network's segment on the VM's host and its peers, the tap with its anti-spoofing chain, the NIC
// hot-plugged into the domain (live and persistent), then addressed in a running guest (with an
// ifupdown stanza for its next boots). Detach: the guest forgets the stanza, the NIC is unplugged, the
// tap goes, the network leaves the host when it was the last member there, and the address is free.

const PrivateNicPayload = z.strictObject({ vmId: z.uuid(), networkId: z.uuid(), action: z.enum(["attach", "detach"]) });

async function nicOf(vm: PlacedVm, networkId: string, prisma: Parameters<typeof loadPrivateNics>[0]): Promise<LoadedPrivateNic | null> {
  return (await loadPrivateNics(prisma, vm.id)).find((n) => n.networkId === networkId) ?? null;
}

const nicGone = (name: string) =>
  new AppError("CONFLICT", `${name}: its private network card was taken away while it was being attached`, {
    key: "error.privateNetwork.nicGone",
    params: { name },
  });

/** Unplugs the NIC from the domain, removes its tap, lets its network leave the host if it was the last member there, frees its address. */
async function unplugNic(prisma: Parameters<typeof loadPrivateNics>[0], vm: PlacedVm, nic: LoadedPrivateNic): Promise<void> {
  const ctx = vmHostContext(vm, prisma);
  const tap = privateTapOf(vm.domainName, nic.slot);
  await changeDomainDevice({
    ...ctx,
    name: vm.domainName,
    action: "detach",
    xml: buildPrivateNicXml({ tap, mac: nic.mac }),
    marker: nic.mac,
  });
  await ctx.pool.exec({ target: ctx.target, argv: ["sh", "-s"], stdin: buildPrivateNicRemoval([tap]), step: `remove ${tap}` });
  await leavePrivateSegments({ prisma, ctx, vmId: vm.id, hostId: vm.host.id, nics: [nic] });
  await prisma.privateNic.delete({ where: { id: nic.id } });
}

const guestRuns = (vm: PlacedVm) => vm.state === "RUNNING";

export const privateNicJob = defineJob({
  name: "vm.private-nic",
  payload: PrivateNicPayload,
  retry: { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 15_000 },
  steps: [
    {
      key: "guest-before",
      async run({ prisma, payload }) {
        if (payload.action !== "detach") return { forgotten: false };
        const vm = requirePlaced(await loadVm(prisma, payload.vmId));
        const nic = await nicOf(vm, payload.networkId, prisma);
        if (!nic || !guestRuns(vm)) return { forgotten: false };
        // Best effort: the guest may be busy or refuse; the NIC goes either way.
        const r = await vmGuestShell({ vm, step: "forget private NIC" })
          .exec(`sudo -n rm -f ${quoteArg(guestPrivateNicFile(nic.slot))}`)
          .catch(() => null);
        return { forgotten: r?.code === 0 };
      },
    },
    {
      key: "host",
      async run({ prisma, payload }) {
        const vm = requirePlaced(await loadVm(prisma, payload.vmId));
        const nic = await nicOf(vm, payload.networkId, prisma);
        if (!nic) return { tap: null, detached: false };
        const ctx = vmHostContext(vm, prisma);
        const tap = privateTapOf(vm.domainName, nic.slot);
        if (payload.action === "attach") {
          await applyPrivateNics({ prisma, ctx, domainName: vm.domainName, nics: [nic] });
          return { tap, detached: false };
        }
        await unplugNic(prisma, vm, nic);
        await addVmEvent({
          prisma,
          vmId: vm.id,
          kind: "network",
          message: `Detached from private network ${nic.network.name} (${nic.ipv4} is free again)`,
          key: "event.privateDetached",
          params: { network: nic.network.name, ipv4: nic.ipv4 },
        });
        return { tap, detached: true };
      },
      async compensate({ prisma, payload }) {
        // A failed attach takes back what it made and lets the address go.
        if (payload.action !== "attach") return;
        const vm = requirePlaced(await loadVm(prisma, payload.vmId));
        const nic = await nicOf(vm, payload.networkId, prisma);
        if (!nic) return;
        await unplugNic(prisma, vm, nic);
      },
    },
    {
      key: "plug",
      async run({ prisma, payload }) {
        if (payload.action !== "attach") return { plugged: "skipped" };
        const vm = requirePlaced(await loadVm(prisma, payload.vmId));
        const nic = await nicOf(vm, payload.networkId, prisma);
        if (!nic) throw nicGone(vm.name);
        const tap = privateTapOf(vm.domainName, nic.slot);
        const done = await changeDomainDevice({
          ...vmHostContext(vm, prisma),
          name: vm.domainName,
          action: "attach",
          xml: buildPrivateNicXml({ tap, mac: nic.mac }),
          marker: nic.mac,
        });
        return { plugged: done };
      },
    },
    {
      key: "guest-after",
      async run({ prisma, payload }) {
        if (payload.action !== "attach") return { device: null };
        const vm = requirePlaced(await loadVm(prisma, payload.vmId));
        const nic = await nicOf(vm, payload.networkId, prisma);
        if (!nic) throw nicGone(vm.name);
        let device: string | null = null;
        if (guestRuns(vm)) {
          const script = buildGuestPrivateNicUp({
            slot: nic.slot,
            mac: nic.mac,
            ipv4: nic.ipv4,
            prefixLen: Number(nic.network.cidr.split("/")[1]),
            ipv6: nic.ipv6,
          });
          const r = await vmGuestShell({ vm, step: "address private NIC" }).exec("sudo -n sh -s", { stdin: script });
          if (r.code !== 0)
            throw new AppError(
              "HOST_COMMAND_FAILED",
              `${vm.name}: addressing its private network card failed: ${r.stderr.trim().slice(0, 300)}`,
              {
                transient: true,
                key: "error.privateNetwork.guestFailed",
                params: { name: vm.name, why: r.stderr.trim().slice(0, 300) },
              },
            );
          device = r.stdout.trim().split("\n").at(-1) ?? null;
        }
        await addVmEvent({
          prisma,
          vmId: vm.id,
          kind: "network",
          message: `Attached to private network ${nic.network.name} as ${nic.ipv4} (VNI ${nic.network.vni})`,
          key: "event.privateAttached",
          params: { network: nic.network.name, ipv4: nic.ipv4, vni: nic.network.vni },
        });
        return { device };
      },
    },
  ],
});
