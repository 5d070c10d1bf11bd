import { z } from "zod";
import { notFound } from "@/lib/core/errors";
import { openVmConsole } from "@/lib/vms/console/open-vm-console";
import { apiRoute } from "@/app/_server/api";

/**
 * POST: opens a console session on the running VM for the signed-in person (members and owners):
 * 201 with `{ sessionId, idleMinutes }`. Its output is the SSE stream at `console/{sessionId}`, its
 * keystrokes go to `console/{sessionId}/input`, `console/{sessionId}/close` ends it.
 */
export const POST = apiRoute({ role: "user" }, async ({ prisma, principal, meta }, { slug, id }: { slug: string; id: string }) => {
  if (!z.uuid().safeParse(id).success) throw notFound("VM not found", { key: "error.vm.notFound" });
  const { session, idleMinutes } = await openVmConsole({ prisma, principal, teamSlug: slug, vmId: id, meta });
  return Response.json({ sessionId: session.id, idleMinutes }, { status: 201, headers: { "cache-control": "no-store" } });
});
