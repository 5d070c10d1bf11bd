import type { Principal } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import type { PrismaClient } from "../generated/prisma/client";
import { readDriftReport, type StoredDrift } from "./drift-store";
import { loadHost } from "./host-record";

/** Admin: the host's last stored drift report (from "check now" or the schedule); reads only, never SSHes. */
export async function getDriftReport(opts: { prisma: PrismaClient; principal: Principal; hostId: string }): Promise<StoredDrift | null> {
  requireAdmin(opts.principal);
  const host = await loadHost(opts.prisma, opts.hostId);
  return readDriftReport({ prisma: opts.prisma, hostId: host.id });
}
