import { z } from "zod";
import { notFound } from "@/lib/core/errors";
import { ConsolePasswordSchema } from "@/lib/vms/console/schemas";
import { setConsolePassword } from "@/lib/vms/console/set-console-password";
import { apiRoute } from "@/app/_server/api";

/** POST `{ password }`: the guest's admin user may log in on the serial console with it (SSH stays key-only). 204. */
export const POST = apiRoute(
  { body: ConsolePasswordSchema, maxBytes: 1024 },
  async ({ prisma, principal, meta, body }, { slug, id }: { slug: string; id: string }) => {
    if (!z.uuid().safeParse(id).success) throw notFound("VM not found", { key: "error.vm.notFound" });
    await setConsolePassword({ prisma, principal, teamSlug: slug, vmId: id, input: body, meta });
    return new Response(null, { status: 204 });
  },
);
