import { z } from "zod";
import { actorOf, recordAudit } from "../audit/record-audit";
import { requireTeam } from "../access/team-access";
import { AppError, fromZod } from "../core/errors";
import { findPage, listOrder, type PageRequest } from "../core/pagination";
import { randomToken, sha256Hex } from "../core/secrets";
import { safeText } from "../core/validation";
import type { Prisma, PrismaClient, Team } from "../generated/prisma/client";
import type { Role } from "../generated/prisma/enums";
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

/** What authenticateApiToken reads: the token's columns under their own names, then every column of its team. */
type TokenWithTeam = Team & {
  token_id: string;
  token_teamId: string;
  token_createdById: string;
  token_name: string;
  token_prefix: string;
  token_role: Role;
  token_lastUsedAt: Date | null;
  token_expiresAt: Date | null;
  token_revokedAt: Date | null;
};

const DATE_COLUMNS = ["createdAt", "updatedAt", "token_lastUsedAt", "token_expiresAt", "token_revokedAt"] as const;

/** The JSON row with its timestamps as Dates, as the driver would have given them. */
function tokenRow(json: Record<string, unknown>): TokenWithTeam {
  for (const column of DATE_COLUMNS) {
    const value = json[column];
    json[column] = typeof value === "string" ? new Date(`${value}Z`) : null;
  }
  return json as unknown as TokenWithTeam;
}

/**
 * Resolves `Authorization: Bearer skj_…` to a principal, or null. Every API call by a token starts
 * here, so it is one query: the token and its team together (the principal carries the team, and
 * requireTeam takes it from there instead of reading it again). The team's columns come as `t.*`,
 * so the principal's team is the whole row, as `prisma.team.findUnique` would give it (tested).
 */
export async function authenticateApiToken(opts: { prisma: PrismaClient; header: string | null }): Promise<Principal | null> {
  const m = opts.header?.match(/^Bearer (\S{1,200})$/);
  if (!m || !TOKEN_RE.test(m[1]!)) return null;
  // One JSON value rather than 22 columns: the embedded database's driver decodes each field on its own
  // (see listVms). Timestamps come as UTC ISO text without a zone and become Dates again here.
  const [result] = await opts.prisma.$queryRaw<{ row: string }[]>`
    SELECT row_to_json(x)::text AS "row" FROM (
      SELECT a."id" AS "token_id", a."teamId" AS "token_teamId", a."createdById" AS "token_createdById", a."name" AS "token_name",
             a."prefix" AS "token_prefix", a."role"::text AS "token_role", a."lastUsedAt" AS "token_lastUsedAt",
             a."expiresAt" AS "token_expiresAt", a."revokedAt" AS "token_revokedAt", t.*
      FROM "ApiToken" a JOIN "Team" t ON t."id" = a."teamId"
      WHERE a."tokenHash" = ${sha256Hex(m[1]!)}) x`;
  const row = result ? tokenRow(JSON.parse(result.row) as Record<string, unknown>) : undefined;
  if (!row || row.token_revokedAt || (row.token_expiresAt && row.token_expiresAt.getTime() < Date.now())) return null;
  if (!row.token_lastUsedAt || Date.now() - row.token_lastUsedAt.getTime() > 60_000) {
    await opts.prisma.apiToken.update({ where: { id: row.token_id }, data: { lastUsedAt: new Date() } });
  }
  const {
    token_id,
    token_teamId,
    token_createdById,
    token_name,
    token_prefix,
    token_role,
    token_lastUsedAt: _lastUsedAt,
    token_expiresAt: _expiresAt,
    token_revokedAt: _revokedAt,
    ...team
  } = row;
  return {
    kind: "token",
    tokenId: token_id,
    teamId: token_teamId,
    role: token_role,
    userId: token_createdById,
    label: `${token_name} (${token_prefix})`,
    team,
  };
}
