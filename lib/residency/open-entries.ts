import type { DataLocationModel } from "../generated/prisma/models";

// A location is identified by what it is and where it is: the same resource may live in several
// places at once (a disk and its backup), and a CLOSE ends exactly the OPEN with the same identity.
type Located = Pick<DataLocationModel, "resourceKind" | "resourceId" | "hostName" | "poolName" | "path" | "regionCode">;

function locationKey(e: Located): string {
  return JSON.stringify([e.resourceKind, e.resourceId, e.hostName, e.poolName, e.path, e.regionCode]);
}

/** The OPEN entries not yet closed, given one resource's entries in ledger (seq) order. */
export function openEntries<E extends Located & Pick<DataLocationModel, "action">>(entries: readonly E[]): E[] {
  const open = new Map<string, E>();
  for (const e of entries) {
    const key = locationKey(e);
    if (e.action === "OPEN") open.set(key, e);
    else open.delete(key);
  }
  return [...open.values()];
}
