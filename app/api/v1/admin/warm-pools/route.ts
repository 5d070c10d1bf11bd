import { listWarmPools } from "@/lib/vms/warm/list-warm-pools";
import { SetWarmPoolInput } from "@/lib/vms/warm/schemas";
import { setWarmPool } from "@/lib/vms/warm/set-warm-pool";
import { apiRoute } from "@/app/_server/api";

/** Every warm pool: size, ready, warming, failed guests and how fast orders were served from it. */
export const GET = apiRoute({ role: "admin" }, async ({ prisma, principal }) => ({ items: await listWarmPools({ prisma, principal }) }));

/** `{ region, plan, image, size }`: how many warm guests to keep (0 turns the pool off); audited. */
export const PUT = apiRoute({ role: "admin", body: SetWarmPoolInput }, async ({ prisma, principal, meta, body }) => ({
  pool: await setWarmPool({ prisma, principal, meta, input: body }),
}));
