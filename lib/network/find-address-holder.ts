import type { Db } from "../residency/db";
import { heldAt, type AddressAssignment } from "./address-history";
import { listAddressHistory } from "./list-address-history";

/**
 * Which VM and team held an address at an instant ("who had 203.0.113.7 at 14:03 last Tuesday?"):
 * for IPv6 the holder of the routed /64 that contains it, or of the exact address on a segment.
 * Usually one holder or none; built from the address history only.
 */
export async function findAddressHolder(opts: {
  prisma: Db;
  address: string;
  at: Date;
}): Promise<{ address: string; at: Date; holders: AddressAssignment[] }> {
  const { address, assignments } = await listAddressHistory(opts);
  return { address, at: opts.at, holders: assignments.filter((a) => heldAt(a, opts.at)) };
}
