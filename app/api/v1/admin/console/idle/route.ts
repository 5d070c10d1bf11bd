import { requireAdmin } from "@/lib/access/team-access";
import { DEFAULT_CONSOLE_IDLE_MINUTES, readConsoleIdleMinutes } from "@/lib/vms/console/idle-setting";
import { ConsoleIdleInput } from "@/lib/vms/console/schemas";
import { setConsoleIdle } from "@/lib/vms/console/set-console-idle";
import { apiRoute } from "@/app/_server/api";

/** `{ idleMinutes, defaultMinutes }`: how long a console session may go without a keystroke. */
export const GET = apiRoute({ role: "admin" }, async ({ prisma, principal }) => {
  requireAdmin(principal);
  return { idleMinutes: await readConsoleIdleMinutes({ prisma }), defaultMinutes: DEFAULT_CONSOLE_IDLE_MINUTES };
});

/** `{ idleMinutes }`, 1 to 1440; audited; sessions opened from then on use it. */
export const PUT = apiRoute({ role: "admin", body: ConsoleIdleInput }, async ({ prisma, principal, meta, body }) =>
  setConsoleIdle({ prisma, principal, meta, input: body }),
);
