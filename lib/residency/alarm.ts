import type { Principal } from "../access/principal";
import type { PrismaClient } from "../generated/prisma/client";
import { readLedgerIntegrity, type LedgerBreak } from "./integrity";

// The portal-wide alarm while the ledger is broken and no admin has acknowledged the break: for
// platform admins, and for the owners of any team (the ledger is one chain, so every team's reports
// carry the mark). Cheap when nothing is wrong: one indexed read per page.

export interface LedgerAlarm {
  brokenAt: LedgerBreak;
  detectedAt: Date;
  /** Where the reader can see the details and, for an admin, act. */
  href: string;
}

export async function readLedgerAlarm({ prisma, principal }: { prisma: PrismaClient; principal: Principal }): Promise<LedgerAlarm | null> {
  if (principal.kind !== "user") return null;
  if (!(await prisma.ledgerVerification.findFirst({ where: { ok: false }, select: { id: true } }))) return null;
  const state = await readLedgerIntegrity({ prisma });
  if (state.status !== "broken" || state.acknowledgement) return null;
  const alarm = { brokenAt: state.brokenAt, detectedAt: state.detectedAt };
  if (principal.isAdmin) return { ...alarm, href: "/admin/residency" };
  const owned = await prisma.membership.findFirst({
    where: { userId: principal.userId, role: "OWNER" },
    orderBy: { createdAt: "asc" },
    select: { team: { select: { slug: true } } },
  });
  return owned ? { ...alarm, href: `/teams/${owned.team.slug}/residency` } : null;
}
