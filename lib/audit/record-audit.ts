import type { RequestMeta } from "../access/principal";
import type { Prisma, PrismaClient } from "../generated/prisma/client";

type Tx = PrismaClient | Prisma.TransactionClient;

export interface AuditInput {
  prisma: Tx;
  action: string; // dotted verb, e.g. "team.create", "host.key.confirm"
  actorLabel: string;
  actorUserId?: string | null;
  actorTokenId?: string | null;
  teamId?: string | null;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
  meta?: RequestMeta;
}

/** Appends one event to the audit log. Never pass secrets in details. */
export async function recordAudit(input: AuditInput): Promise<void> {
  await input.prisma.auditEvent.create({
    data: {
      action: input.action,
      actorLabel: input.actorLabel.slice(0, 256),
      actorUserId: input.actorUserId ?? null,
      actorTokenId: input.actorTokenId ?? null,
      teamId: input.teamId ?? null,
      targetType: input.targetType,
      targetId: input.targetId,
      details: (input.details as Prisma.InputJsonValue) ?? undefined,
      ip: input.meta?.ip?.slice(0, 64) ?? null,
      userAgent: input.meta?.userAgent?.slice(0, 256) ?? null,
      correlationId: input.meta?.correlationId,
    },
  });
}

import type { Principal } from "../access/principal";

export function actorOf(p: Principal): Pick<AuditInput, "actorLabel" | "actorUserId" | "actorTokenId"> {
  return p.kind === "user"
    ? { actorLabel: p.email, actorUserId: p.userId, actorTokenId: null }
    : { actorLabel: `token:${p.label}`, actorUserId: p.userId, actorTokenId: p.tokenId };
}
