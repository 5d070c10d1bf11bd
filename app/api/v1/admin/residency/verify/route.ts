import { verifyPlatformLedger } from "@/lib/residency";
import { apiRoute } from "@/app/_server/api";

/** Recomputes the ledger's hash chain and records the run: { ok, count, head } or { ok: false, brokenAt }. */
export const POST = apiRoute({ role: "admin" }, async ({ prisma, principal }) => verifyPlatformLedger({ prisma, principal }));
