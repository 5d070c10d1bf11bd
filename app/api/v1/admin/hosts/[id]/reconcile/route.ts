import { adoptDrift, cleanUpDrift, getDriftReport, reconcileHost } from "@/lib/hosts";
import { ReconcileInput } from "@/lib/hosts/schemas";
import { apiRoute } from "@/app/_server/api";

type P = { id: string };

/** The last stored drift report ({ report: { at, drift } | null }); reads only: a GET never SSHes or writes. */
export const GET = apiRoute<P>({ role: "admin" }, async ({ prisma, principal }, { id }) => ({
  report: await getDriftReport({ prisma, principal, hostId: id }),
}));

/** { action: "check" } compares libvirt with the database now; { action: "cleanup" | "adopt", domains, volumes } acts on drift. */
export const POST = apiRoute({ role: "admin", body: ReconcileInput }, async ({ prisma, principal, meta, body }, { id }: P) => {
  if (body.action === "check") return reconcileHost({ prisma, principal, meta, hostId: id });
  const run = body.action === "cleanup" ? cleanUpDrift : adoptDrift;
  return run({ prisma, principal, meta, hostId: id, input: body });
});
