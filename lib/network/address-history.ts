import type { AddressEvent } from "../generated/prisma/client";
import { enclosingPrefix, formatIp, parseIp } from "./ip";

// Who had an address when, rebuilt from the append-only AddressEvent rows alone: they carry the
// VM's and team's names as they were, so answers hold after the VM, its team or its pool are gone.

export interface AddressAssignment {
  /** the unit handed out: an IPv4 address, a routed IPv6 /64 (by its network address) or one IPv6 address */
  address: string;
  prefixLen: number;
  family: AddressEvent["family"];
  poolId: string;
  vm: { id: string; name: string };
  team: { id: string; slug: string };
  regionCode: string;
  hostName: string | null;
  assignedAt: Date;
  /** null while the VM still holds it */
  releasedAt: Date | null;
}

/**
 * The units whose history answers for an address: the IPv4 address itself; for IPv6 the address on
 * a segment, or the routed /64 that contains it. Null when the text is not an address.
 */
export function historyUnitsOf(text: string): { address: string; units: { address: string; prefixLen: number }[] } | null {
  const ip = parseIp(text.trim());
  if (!ip) return null;
  const address = formatIp(ip);
  if (ip.family === 4) return { address, units: [{ address, prefixLen: 32 }] };
  const net64 = formatIp({ family: 6, value: enclosingPrefix(ip, 64).network });
  return {
    address,
    units: [
      { address, prefixLen: 128 },
      { address: net64, prefixLen: 64 },
    ],
  };
}

/** Pairs each ASSIGN with the RELEASE that ended it. `events` in the order they were appended. */
export function assignmentsFromEvents(events: readonly AddressEvent[]): AddressAssignment[] {
  const all: AddressAssignment[] = [];
  const open = new Map<string, AddressAssignment>();
  for (const e of events) {
    const key = `${e.poolId}|${e.address}|${e.prefixLen}`;
    const current = open.get(key);
    if (e.action === "RELEASE") {
      if (current && current.vm.id === e.vmId) {
        current.releasedAt = e.at;
        open.delete(key);
      }
      continue;
    }
    if (current) current.releasedAt = e.at; // a unit has one holder: a new ASSIGN ends the last
    const assignment: AddressAssignment = {
      address: e.address,
      prefixLen: e.prefixLen,
      family: e.family,
      poolId: e.poolId,
      vm: { id: e.vmId, name: e.vmName },
      team: { id: e.teamId, slug: e.teamSlug },
      regionCode: e.regionCode,
      hostName: e.hostName,
      assignedAt: e.at,
      releasedAt: null,
    };
    open.set(key, assignment);
    all.push(assignment);
  }
  return all;
}

/** Whether the assignment covered the instant: from its assignment up to, not including, its release. */
export const heldAt = (a: AddressAssignment, at: Date) => a.assignedAt <= at && (a.releasedAt === null || a.releasedAt > at);
