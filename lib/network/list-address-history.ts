import { AppError } from "../core/errors";
import type { Db } from "../residency/db";
import { assignmentsFromEvents, historyUnitsOf, type AddressAssignment } from "./address-history";

/** Every assignment of an address (or of the routed IPv6 /64 that contains it), oldest first. */
export async function listAddressHistory(opts: {
  prisma: Db;
  address: string;
}): Promise<{ address: string; assignments: AddressAssignment[] }> {
  const query = historyUnitsOf(opts.address);
  if (!query)
    throw new AppError("VALIDATION", `Address: ${opts.address.slice(0, 64)} is not an IPv4 or IPv6 address`, {
      details: [{ path: "address", message: "not an IP address" }],
      key: "error.address.invalid",
      params: { address: opts.address.slice(0, 64) },
    });
  const events = await opts.prisma.addressEvent.findMany({ where: { OR: query.units }, orderBy: [{ at: "asc" }, { id: "asc" }] });
  return { address: query.address, assignments: assignmentsFromEvents(events) };
}
