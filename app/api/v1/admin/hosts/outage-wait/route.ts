import { getHostOutageWait } from "@/lib/hosts/get-host-outage-wait";
import { HostOutageWaitInput } from "@/lib/hosts/schemas";
import { setHostOutageWait } from "@/lib/hosts/set-host-outage-wait";
import { apiRoute } from "@/app/_server/api";

/** `{ waitSeconds, defaultSeconds, maxSeconds }`: how long jobs wait for an unreachable host. */
export const GET = apiRoute({ role: "admin" }, async ({ prisma, principal }) => getHostOutageWait({ prisma, principal }));

/** `{ waitSeconds }`, 0 to a day (0: no waiting); audited. */
export const PUT = apiRoute({ role: "admin", body: HostOutageWaitInput }, async ({ prisma, principal, meta, body }) =>
  setHostOutageWait({ prisma, principal, meta, input: body }),
);
