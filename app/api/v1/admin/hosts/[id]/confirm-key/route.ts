import { confirmHostKey } from "@/lib/hosts";
import { ConfirmHostKeyInput } from "@/lib/hosts/schemas";
import { apiRoute } from "@/app/_server/api";

// Pins the fingerprint the admin compared (new host or changed key), then discovers the host.
export const POST = apiRoute(
  { role: "admin", body: ConfirmHostKeyInput },
  async ({ prisma, principal, meta, body }, { id }: { id: string }) => confirmHostKey({ prisma, principal, meta, hostId: id, input: body }),
);
