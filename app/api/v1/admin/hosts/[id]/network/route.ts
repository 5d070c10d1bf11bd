import { readJsonBody } from "@/lib/core/validation";
import { setHostNetwork } from "@/lib/hosts";
import { apiRoute } from "@/app/_server/api";

/** How the host gives its guests addresses (routed, bridged or lab); checked on the host first, 422 naming the field. */
export const PATCH = apiRoute<{ id: string }>(async ({ prisma, principal, meta, req }, { id }) => ({
  host: await setHostNetwork({ prisma, principal, meta, hostId: id, input: await readJsonBody(req, 4 * 1024) }),
}));
