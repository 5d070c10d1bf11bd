import { z } from "zod";
import { actorOf, recordAudit } from "../audit/record-audit";
import { requireTeam } from "../access/team-access";
import { AppError, fromZod } from "../core/errors";
import { findPage, listOrder, type PageRequest } from "../core/pagination";
import { randomToken, sha256Hex } from "../core/secrets";
import { safeText } from "../core/validation";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import type { Principal, RequestMeta } from "../access/principal";

// Tokens look like `skj_<8-char prefix>_<secret>`; only a SHA-256 of the whole token is stored.
// The prefix lets owners tell tokens apart without ever seeing one again.
const TOKEN_RE = /^skj_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export const CreateApiTokenInput = z.object({
  name: safeText(60),
  role: z.enum(["OWNER", "MEMBER", "VIEWER", "AUDITOR"]).default("MEMBER"),
  expiresInDays: z.coerce.number().int().min(1).max(365).optional(),
});

export async function createApiToken(opts: {
  prisma: PrismaClient;
  principal: Principal;
  teamSlug: string;
  input: unknown;
  meta?: RequestMeta;
}) {
  if (opts.principal.kind !== "user")
    throw new AppError("FORBIDDEN", "API tokens are created in the browser by a team owner.", { key: "error.token.browserOnly" });
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "manage" });
  const parsed = CreateApiTokenInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "API token");
  const { name, role, expiresInDays } = parsed.data;
  if (await opts.prisma.apiToken.findUnique({ where: { teamId_name: { teamId: team.id, name } } })) {
    throw new AppError("CONFLICT", `A token named "${name}" already exists in this team.`, {
      key: "error.token.nameTaken",
      params: { name },
    });
  }
  const prefix = randomToken(6)
    .replace(/[^A-Za-z0-9]/g, "x")
    .slice(0, 8);
  const token = `skj_${prefix}_${randomToken(32)}`;
  const row = await opts.prisma.apiToken.create({
    data: {
      teamId: team.id,
      createdById: opts.principal.userId,
      name,
      prefix,
      role,
      tokenHash: sha256Hex(token),
      expiresAt: expiresInDays ? new Date(Date.now() + expiresInDays * 86400_000) : null,
    },
  });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "team.token.create",
    teamId: team.id,
    targetType: "api_token",
    targetId: row.id,
    details: { name, role },
    meta: opts.meta,
  });
  return { token, id: row.id, prefix, name, role, expiresAt: row.expiresAt };
}

const TOKEN_ORDER = listOrder<Prisma.ApiTokenWhereInput, Prisma.ApiTokenOrderByWithRelationInput>("api-tokens", [
  { field: "createdAt", dir: "desc", kind: "time" },
  { field: "id", dir: "desc", kind: "uuid" },
]);

/** A page of the team's tokens, newest first (revoked ones too; never a secret or its hash). */
export async function listApiTokens(opts: { prisma: PrismaClient; teamId: string; page: PageRequest }) {
  return findPage({
    order: TOKEN_ORDER,
    page: opts.page,
    where: { teamId: opts.teamId },
    find: (query) =>
      opts.prisma.apiToken.findMany({
        ...query,
        select: { id: true, name: true, prefix: true, role: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true },
      }),
  });
}

export async function revokeApiToken(opts: {
  prisma: PrismaClient;
  principal: Principal;
  teamSlug: string;
  tokenId: string;
  meta?: RequestMeta;
}) {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "manage" });
  const r = await opts.prisma.apiToken.updateMany({
    where: { id: opts.tokenId, teamId: team.id, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (r.count !== 1) throw new AppError("NOT_FOUND", "Token not found or already revoked.", { key: "error.token.notFound" });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "team.token.revoke",
    teamId: team.id,
    targetType: "api_token",
    targetId: opts.tokenId,
    meta: opts.meta,
  });
}

/** Resolves `Authorization: Bearer skj_…` to a principal, or null. */
export async function authenticateApiToken(opts: { prisma: PrismaClient; header: string | null }): Promise<Principal | null> {
  const m = opts.header?.match(/^Bearer (\S{1,200})$/);
  if (!m || !TOKEN_RE.test(m[1]!)) return null;
  const row = await opts.prisma.apiToken.findUnique({ where: { tokenHash: sha256Hex(m[1]!) } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() < Date.now())) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await opts.prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return {
    kind: "token",
    tokenId: row.id,
    teamId: row.teamId,
    role: row.role,
    userId: row.createdById,
    label: `${row.name} (${row.prefix})`,
  };
}
