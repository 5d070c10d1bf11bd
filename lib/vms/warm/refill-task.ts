import type { ScheduledTask } from "../../jobs/schedules";
import { refillWarmPools } from "./refill-warm-pools";

/** Every 30 s: warm guests that died are replaced and each warm pool is topped up to its size. */
export const refillWarmPoolsTask: ScheduledTask = {
  name: "vms.refill-warm-pools",
  intervalSec: 30,
  async run(ctx) {
    await refillWarmPools({ prisma: ctx.prisma });
  },
};
