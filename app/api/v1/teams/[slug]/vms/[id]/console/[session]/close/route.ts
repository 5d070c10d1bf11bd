import { vmConsoleSession } from "@/lib/vms/console/vm-console-session";
import { apiRoute } from "@/app/_server/api";

/** POST: ends the console session (audited with its duration). 204. */
export const POST = apiRoute({ role: "user" }, async ({ principal }, { id, session }: { slug: string; id: string; session: string }) => {
  const s = vmConsoleSession({ principal, vmId: id, sessionId: session });
  s.end("closed");
  await s.ended;
  return new Response(null, { status: 204 });
});
