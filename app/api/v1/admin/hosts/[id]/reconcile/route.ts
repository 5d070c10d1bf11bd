import { z } from "zod";
import { adoptDrift, cleanUpDrift, reconcileHost } from "@/lib/hosts";
import { fromZod } from "@/lib/core/errors";
import { readJsonBody } from "@/lib/core/validation";
import { apiRoute } from "@/app/_server/api";

type P = { id: string };

/** Compares libvirt with the database now and returns the drift. */
export const GET = apiRoute<P>(async ({ prisma, principal, meta }, { id }) => reconcileHost({ prisma, principal, meta, hostId: id }));

const ActionInput = z.object({ action: z.enum(["cleanup", "adopt"]) }).passthrough();

/** { action: "cleanup" | "adopt", domains: [...], volumes: [{ pool, name }] } */
export const POST = apiRoute<P>(async ({ prisma, principal, meta, req }, { id }) => {
  const body = await readJsonBody(req);
  const parsed = ActionInput.safeParse(body);
  if (!parsed.success) throw fromZod(parsed.error, "Reconcile");
  const run = parsed.data.action === "cleanup" ? cleanUpDrift : adoptDrift;
  return run({ prisma, principal, meta, hostId: id, input: body });
});
