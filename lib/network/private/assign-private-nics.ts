import { randomBytes } from "node:crypto";
import { AppError } from "../../core/errors";
import type { Host, Prisma } from "../../generated/prisma/client";
import { parseIp } from "../ip";
import { MAX_PRIVATE_NICS, pickPrivateAddress, ulaAddressOf } from "./private-range";

// A VM's NICs on its team's private networks, taken inside the order's transaction: each network's
// row locked (in id order, so two orders never wait on each other crosswise), its lowest free address
// (after the reserved .1) and, with a ULA, the IPv6 of the same host number; a MAC no NIC has.

export interface AssignedPrivateNic {
  networkId: string;
  networkName: string;
  slot: number;
  ipv4: string;
  ipv6: string | null;
}

/** Refuses a host private networks cannot reach: lab user-mode hosts, or one whose address is no IPv4 underlay. */
export function assertPrivateCapableHost(host: Pick<Host, "name" | "networkMode" | "address">): void {
  if (host.networkMode !== "ROUTED" && host.networkMode !== "BRIDGED")
    throw new AppError(
      "CONFLICT",
      `Private networks need a routed or bridged host; ${host.name} is a lab-trial host (user-mode networking)`,
      {
        key: "error.privateNetwork.hostCannot",
        params: { host: host.name },
      },
    );
  if (parseIp(host.address)?.family !== 4)
    throw new AppError(
      "CONFLICT",
      `Host ${host.name}: its address ${host.address} is not an IPv4 address, which the VXLAN of private networks needs`,
      {
        key: "error.privateNetwork.noUnderlay",
        params: { host: host.name, address: host.address },
      },
    );
}

async function newNicMac(tx: Prisma.TransactionClient): Promise<string> {
  for (let i = 0; i < 8; i++) {
    const mac = `52:54:00:${[...randomBytes(3)].map((b) => b.toString(16).padStart(2, "0")).join(":")}`;
    const [vm, nic] = await Promise.all([
      tx.virtualMachine.findUnique({ where: { macAddress: mac }, select: { id: true } }),
      tx.privateNic.findUnique({ where: { mac }, select: { id: true } }),
    ]);
    if (!vm && !nic) return mac;
  }
  throw new AppError("CONFLICT", "Could not find a free MAC address for a private network card; try again", {
    key: "error.privateNetwork.noMac",
  });
}

export async function assignPrivateNics(opts: {
  tx: Prisma.TransactionClient;
  vm: { id: string; teamId: string; regionId: string };
  regionCode: string;
  host: Pick<Host, "name" | "networkMode" | "address">;
  networkIds: readonly string[];
}): Promise<AssignedPrivateNic[]> {
  const { tx, vm } = opts;
  if (opts.networkIds.length === 0) return [];
  assertPrivateCapableHost(opts.host);
  const ids = [...opts.networkIds];
  for (const id of [...ids].sort()) await tx.$queryRaw`SELECT id FROM "PrivateNetwork" WHERE id = ${id}::uuid FOR UPDATE`;
  const rows = await tx.privateNetwork.findMany({ where: { id: { in: ids } } });
  const out: AssignedPrivateNic[] = [];
  // Slots the VM's NICs already hold (a NIC attached later takes the lowest free one).
  const held = await tx.privateNic.findMany({ where: { vmId: vm.id }, select: { slot: true, networkId: true } });
  const usedSlots = new Set(held.map((h) => h.slot));
  for (const [index, id] of ids.entries()) {
    const net = rows.find((r) => r.id === id);
    if (!net || net.teamId !== vm.teamId || net.regionId !== vm.regionId)
      throw new AppError(
        "VALIDATION",
        `Order: privateNetworkIds.${index}: is not one of the team's private networks in ${opts.regionCode}`,
        {
          key: "error.privateNetwork.unknownForOrder",
          params: { index, region: opts.regionCode },
          details: [{ path: `privateNetworkIds.${index}`, message: `is not one of the team's private networks in ${opts.regionCode}` }],
        },
      );
    const taken = new Set((await tx.privateNic.findMany({ where: { networkId: id }, select: { ipv4: true } })).map((n) => n.ipv4));
    const ipv4 = pickPrivateAddress(net.cidr, taken);
    if (!ipv4)
      throw new AppError("CONFLICT", `Private network ${net.name} has no free address left`, {
        key: "error.privateNetwork.full",
        params: { name: net.name },
      });
    const ipv6 = net.ipv6Prefix ? ulaAddressOf(net.ipv6Prefix, net.cidr, ipv4) : null;
    if (held.some((h) => h.networkId === id))
      throw new AppError("CONFLICT", `The VM is already on private network ${net.name}`, {
        key: "error.privateNetwork.alreadyOn",
        params: { name: net.name },
      });
    const slot = [1, 2, 3, 4].find((n) => !usedSlots.has(n));
    if (slot === undefined)
      throw new AppError("CONFLICT", `A VM has at most ${MAX_PRIVATE_NICS} private network cards`, {
        key: "error.privateNetwork.tooMany",
        params: { max: MAX_PRIVATE_NICS },
      });
    usedSlots.add(slot);
    await tx.privateNic.create({ data: { networkId: id, vmId: vm.id, slot, mac: await newNicMac(tx), ipv4, ipv6 } });
    out.push({ networkId: id, networkName: net.name, slot, ipv4, ipv6 });
  }
  return out;
}
