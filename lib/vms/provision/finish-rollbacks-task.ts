import type { ScheduledTask } from "../../jobs/schedules";
import { finishIncompleteRollbacks } from "./finish-rollbacks";

/**
 * Every minute: removes what incomplete provisioning rollbacks left on hosts that answer again (one
 * SSH attempt per host with leftovers, so a host that is still down costs one refused connection).
 */
export const finishRollbacksTask: ScheduledTask = {
  name: "vms.finish-rollbacks",
  intervalSec: 60,
  async run(ctx) {
    const report = await finishIncompleteRollbacks({ prisma: ctx.prisma });
    if (report.failed.length) throw new Error(report.failed.map((f) => `${f.vm}: ${f.error}`).join("; "));
  },
};
