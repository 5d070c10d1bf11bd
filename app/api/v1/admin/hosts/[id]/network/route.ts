import { setHostNetwork } from "@/lib/hosts";
import { HostNetworkInput } from "@/lib/hosts/schemas";
import { apiRoute } from "@/app/_server/api";

/** How the host gives its guests addresses (routed, bridged or lab); checked on the host first, 422 naming the field. */
export const PATCH = apiRoute(
  { role: "admin", body: HostNetworkInput, maxBytes: 4 * 1024 },
  async ({ prisma, principal, meta, body }, { id }: { id: string }) => ({
    host: await setHostNetwork({ prisma, principal, meta, hostId: id, input: body }),
  }),
);
