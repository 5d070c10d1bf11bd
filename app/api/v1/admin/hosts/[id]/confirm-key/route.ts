import { confirmHostKey } from "@/lib/hosts";
import { readJsonBody } from "@/lib/core/validation";
import { apiRoute } from "@/app/_server/api";

// Pins the fingerprint the admin compared (new host or changed key), then discovers the host.
export const POST = apiRoute<{ id: string }>(async ({ prisma, principal, meta, req }, { id }) =>
  confirmHostKey({ prisma, principal, meta, hostId: id, input: await readJsonBody(req) }),
);
