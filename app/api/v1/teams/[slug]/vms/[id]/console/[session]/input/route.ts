import { ConsoleInputSchema } from "@/lib/vms/console/schemas";
import { vmConsoleSession } from "@/lib/vms/console/vm-console-session";
import { apiRoute } from "@/app/_server/api";

/** POST `{ data }` (at most 4 KiB of keystrokes): typed on the VM's serial console. 204. */
export const POST = apiRoute(
  { role: "user", body: ConsoleInputSchema, maxBytes: 16 * 1024 },
  async ({ principal, body }, { id, session }: { slug: string; id: string; session: string }) => {
    vmConsoleSession({ principal, vmId: id, sessionId: session }).input(body.data);
    return new Response(null, { status: 204 });
  },
);
