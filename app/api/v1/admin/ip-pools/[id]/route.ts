import { readJsonBody } from "@/lib/core/validation";
import { deleteIpPool } from "@/lib/network/delete-ip-pool";
import { getIpPool } from "@/lib/network/get-ip-pool";
import { updateIpPool } from "@/lib/network/update-ip-pool";
import { apiRoute } from "@/app/_server/api";

type P = { id: string };

export const GET = apiRoute<P>(async ({ prisma, principal }, { id }) => ({ pool: await getIpPool({ prisma, principal, id }) }));

/** Name, gateway, range, reserved, dns; never the prefix, family, kind, host or region (422 naming them). */
export const PATCH = apiRoute<P>(async ({ prisma, principal, meta, req }, { id }) => ({
  pool: await updateIpPool({ prisma, principal, meta, id, input: await readJsonBody(req, 16 * 1024) }),
}));

/** 409 in words while an address is held or resting in quarantine. */
export const DELETE = apiRoute<P>(async ({ prisma, principal, meta }, { id }) => deleteIpPool({ prisma, principal, meta, id }));
