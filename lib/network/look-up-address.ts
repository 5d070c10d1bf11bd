import { z } from "zod";
import type { Principal } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import { fromZod } from "../core/errors";
import type { Db } from "../residency/db";
import { heldAt, type AddressAssignment } from "./address-history";
import { listAddressHistory } from "./list-address-history";
import { InstantSchema } from "./pool-input";

const LookupInput = z.object({
  address: z.string().max(64, "must be at most 64 characters"),
  /** default: now */
  at: InstantSchema.optional(),
});

/**
 * Admin: "who had this address at this time?" for an abuse desk. The holders at the instant and
 * every assignment of the address (or its routed /64), from the append-only history alone.
 */
export async function lookUpAddress(opts: {
  prisma: Db;
  principal: Principal;
  input: unknown;
  now?: Date;
}): Promise<{ address: string; at: Date; holders: AddressAssignment[]; history: AddressAssignment[] }> {
  requireAdmin(opts.principal);
  const parsed = LookupInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Address lookup");
  const at = parsed.data.at ?? opts.now ?? new Date();
  const { address, assignments } = await listAddressHistory({ prisma: opts.prisma, address: parsed.data.address });
  return { address, at, holders: assignments.filter((a) => heldAt(a, at)), history: assignments };
}
