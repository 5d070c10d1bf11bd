import type { ResourceKind } from "../generated/prisma/enums";
import type { DataLocationModel } from "../generated/prisma/models";
import { inTransaction, type Db } from "./db";
import { recordDataLocation } from "./record";
import { getPortalLocation } from "./settings";

export type PortalHeldKind = Extract<ResourceKind, "KUBECONFIG" | "SECRET" | "PORTAL_DATABASE">;

/** Records data the portal itself holds for a team (a kubeconfig, a secret) at the portal's location. */
export async function recordPortalHeldData(opts: {
  prisma: Db;
  teamId: string;
  resourceKind: PortalHeldKind;
  resourceId: string;
  resourceName: string;
  effectiveAt?: Date;
  actor?: string;
}): Promise<DataLocationModel> {
  const { prisma, ...entry } = opts;
  return inTransaction(prisma, async (tx) => {
    const where = await getPortalLocation({ prisma: tx });
    return recordDataLocation({ prisma: tx, ...entry, ...where });
  });
}
