import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "../core/errors";
import { lookupSession } from "../auth/session";
import type { PrismaClient } from "../generated/prisma/client";

// Who may scrape GET /api/v1/admin/metrics: a platform admin's browser session, or a Prometheus
// server sending `Authorization: Bearer <SKJOLD_METRICS_TOKEN>` when the operator set that variable.
// The token is compared in constant time (both sides hashed first, so lengths leak nothing either).

function metricsBearerMatches(opts: { authorization: string | null; metricsToken: string | undefined }): boolean {
  if (!opts.metricsToken || !opts.authorization) return false;
  const m = /^Bearer ([^\s]{1,512})$/.exec(opts.authorization.trim());
  if (!m) return false;
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(m[1]!), digest(opts.metricsToken));
}

export async function authorizeMetricsScrape(opts: {
  prisma: PrismaClient;
  authorization: string | null;
  sessionToken: string | undefined;
  metricsToken: string | undefined;
}): Promise<void> {
  if (opts.authorization) {
    if (metricsBearerMatches(opts)) return;
    throw new AppError("UNAUTHENTICATED", "The metrics token is wrong, or SKJOLD_METRICS_TOKEN is not set on the portal.");
  }
  const session = await lookupSession({ prisma: opts.prisma, token: opts.sessionToken });
  if (session.state !== "active")
    throw new AppError("UNAUTHENTICATED", "Sign in as a platform admin or send `Authorization: Bearer <SKJOLD_METRICS_TOKEN>`.");
  if (!session.principal.isAdmin) throw new AppError("NOT_FOUND", "Not found");
}
