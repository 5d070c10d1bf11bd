import type { PrismaClient } from "../generated/prisma/client";
import { GENESIS_HASH } from "./hash";
import { readLocationIntervals, type LocationInterval } from "./intervals";
import { createTotalsAccumulator, type JurisdictionTotal } from "./totals";

// What the residency pages show: where the data is at a date, totals per jurisdiction and country,
// and every stay outside the EEA. Read with the report's own interval reader, bounded by one ledger
// head, so the page and a report downloaded for the same date state the same facts.

export interface ResidencyView {
  asOf: Date;
  ledgerHead: { seq: string; hash: string };
  /** Locations holding data at asOf, oldest first, at most `limit`. */
  locations: LocationInterval[];
  /** How many locations hold data at asOf (may exceed locations.length). */
  heldCount: number;
  /** Held at asOf, per jurisdiction and country. */
  totals: JurisdictionTotal[];
  /** Stays outside the EEA up to asOf (open or closed), at most `limit`. */
  transfers: LocationInterval[];
  transferCount: number;
}

export async function readResidencyView(opts: {
  prisma: PrismaClient;
  teamId?: string;
  asOf: Date;
  limit?: number;
}): Promise<ResidencyView> {
  const { prisma, teamId, asOf, limit = 200 } = opts;
  const head = await prisma.dataLocation.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const headSeq = head?.seq ?? 0n;
  const base = { prisma, headSeq, asOf, teamId };

  const locations: LocationInterval[] = [];
  const totals = createTotalsAccumulator();
  for await (const i of readLocationIntervals({ ...base, onlyOpen: true })) {
    totals.add(i);
    if (locations.length < limit) locations.push(i);
  }
  const transfers: LocationInterval[] = [];
  let transferCount = 0;
  for await (const i of readLocationIntervals({ ...base, outsideEeaOnly: true })) {
    transferCount++;
    if (transfers.length < limit) transfers.push(i);
  }
  const summary = totals.result();
  return {
    asOf,
    ledgerHead: { seq: headSeq.toString(), hash: head?.hash ?? GENESIS_HASH },
    locations,
    heldCount: summary.openAtAsOf,
    totals: summary.byJurisdiction,
    transfers,
    transferCount,
  };
}
