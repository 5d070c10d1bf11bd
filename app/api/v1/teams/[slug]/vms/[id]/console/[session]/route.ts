import { CONSOLE_SSE_HEADERS, streamConsole } from "@/lib/vms/console/console-sse";
import { vmConsoleSession } from "@/lib/vms/console/vm-console-session";
import { apiRoute } from "@/app/_server/api";

/** GET: the session's console output as Server-Sent Events (`replay`, `output`, `end`; a heartbeat comment every 15 s). */
export const GET = apiRoute(
  { role: "user" },
  async ({ principal, req }, { id, session }: { slug: string; id: string; session: string }) =>
    new Response(streamConsole({ session: vmConsoleSession({ principal, vmId: id, sessionId: session }), signal: req.signal }), {
      headers: CONSOLE_SSE_HEADERS,
    }),
);
