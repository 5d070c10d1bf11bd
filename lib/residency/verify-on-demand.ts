import { requireAdmin, requireTeam } from "../access/team-access";
import { actorOf } from "../audit/record-audit";
import type { Principal } from "../access/principal";
import type { PrismaClient } from "../generated/prisma/client";
import { runLedgerVerification, type RecordedVerification } from "./run-verification";

// "Verify ledger" on the residency pages and POST …/residency/verify: a full, recorded verification.
// The ledger is one chain for all teams, so a team's owner or auditor verifies all of it; a pass
// clears a break for everyone, a failure raises it for everyone.

export async function verifyTeamLedger(opts: {
  prisma: PrismaClient;
  principal: Principal;
  teamSlug: string;
}): Promise<RecordedVerification> {
  await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "audit" });
  return runLedgerVerification({ prisma: opts.prisma, trigger: "manual", actor: actorOf(opts.principal).actorLabel });
}

export async function verifyPlatformLedger(opts: { prisma: PrismaClient; principal: Principal }): Promise<RecordedVerification> {
  requireAdmin(opts.principal);
  return runLedgerVerification({ prisma: opts.prisma, trigger: "manual", actor: actorOf(opts.principal).actorLabel });
}
