import { z } from "zod";
import { requireTeam } from "../access/team-access";
import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { reapplyToCluster } from "../clusters/provision/reapply-to-cluster";
import { AppError, fromZod, notFound } from "../core/errors";
import { findPage, listOrder, type Page, type PageRequest } from "../core/pagination";
import { safeText, uuid } from "../core/validation";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { parseSigningPublicKey } from "../k3s/signing-keys";

export { signingKeyFingerprint } from "../k3s/signing-keys";

// A team's image signing keys: the public halves of the cosign keys its pipeline signs Trivy scan
// attestations with. Every cluster of the team admits an image only with a clean scan signed by one
// of them, so adding or removing a key is an owner's decision, audited, and it re-applies the
// admission policy on the team's ready clusters.

const MAX_SIGNING_KEYS_PER_TEAM = 5;

export const AddSigningKeyInput = z.strictObject({
  name: safeText(60),
  publicKey: z.string().max(16 * 1024, "is too long for a public key"),
});

export type SigningKeyView = { id: string; name: string; keyType: string; fingerprint: string; publicKey: string; createdAt: Date };
const PUBLIC_FIELDS = { id: true, name: true, keyType: true, fingerprint: true, publicKey: true, createdAt: true } as const;

type Ctx = { prisma: PrismaClient; principal: Principal; teamSlug: string; meta?: RequestMeta };

const SIGNING_KEY_ORDER = listOrder<Prisma.ImageSigningKeyWhereInput, Prisma.ImageSigningKeyOrderByWithRelationInput>("signing-keys", [
  { field: "createdAt", dir: "asc", kind: "time" },
  { field: "id", dir: "asc", kind: "uuid" },
]);

/** A page of the team's signing keys, oldest first. */
export async function listSigningKeys(opts: Ctx & { page: PageRequest }): Promise<Page<SigningKeyView>> {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  return findPage({
    order: SIGNING_KEY_ORDER,
    page: opts.page,
    where: { teamId: team.id },
    find: (query) => opts.prisma.imageSigningKey.findMany({ ...query, select: PUBLIC_FIELDS }),
  });
}

/** Re-applies the admission policy on the team's ready clusters (the bootstrap is idempotent: only the policy changes). */
async function reapplyToClusters(prisma: PrismaClient, teamId: string): Promise<number> {
  const clusters = await prisma.cluster.findMany({ where: { teamId, state: "READY" }, select: { id: true, teamId: true } });
  for (const c of clusters) await reapplyToCluster(prisma, c);
  return clusters.length;
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}

export async function addSigningKey(opts: Ctx & { input: unknown }): Promise<SigningKeyView & { clustersUpdated: number }> {
  const { prisma, principal } = opts;
  const { team } = await requireTeam({ prisma, principal, slug: opts.teamSlug, need: "manage" });
  const parsed = AddSigningKeyInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Signing key");
  const key = parseSigningPublicKey(parsed.data.publicKey);
  if (!key.ok)
    throw new AppError("VALIDATION", `Signing key: publicKey: ${key.reason}`, {
      details: [{ path: "publicKey", message: key.reason }],
      key: "error.signingKey.invalid",
      params: { reason: key.reason },
    });
  const { name } = parsed.data;
  const { fingerprint, keyType } = key;
  const existing = await prisma.imageSigningKey.findMany({ where: { teamId: team.id }, select: { name: true, fingerprint: true } });
  const same = existing.find((k) => k.fingerprint === fingerprint);
  if (same)
    throw new AppError("CONFLICT", `This key is already registered for the team as "${same.name}" (${fingerprint}).`, {
      key: "error.signingKey.duplicate",
      params: { name: same.name, fingerprint },
    });
  if (existing.some((k) => k.name === name))
    throw new AppError("CONFLICT", `The team already has a signing key named "${name}". Pick another name.`, {
      key: "error.signingKey.nameTaken",
      params: { name },
    });
  if (existing.length >= MAX_SIGNING_KEYS_PER_TEAM)
    throw new AppError(
      "QUOTA_EXCEEDED",
      `A team can register at most ${MAX_SIGNING_KEYS_PER_TEAM} signing keys. Remove one you no longer sign with.`,
      { key: "error.signingKey.limit", params: { max: MAX_SIGNING_KEYS_PER_TEAM } },
    );
  try {
    const row = await prisma.imageSigningKey.create({
      data: { teamId: team.id, name, publicKey: key.pem, keyType, fingerprint },
      select: PUBLIC_FIELDS,
    });
    await recordAudit({
      prisma,
      ...actorOf(principal),
      action: "team.signing_key.add",
      teamId: team.id,
      targetType: "signing_key",
      targetId: row.id,
      details: { name, keyType: row.keyType, fingerprint },
      meta: opts.meta,
    });
    return { ...row, clustersUpdated: await reapplyToClusters(prisma, team.id) };
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError("CONFLICT", "This key or this name is already registered for the team.", { key: "error.signingKey.taken" });
    throw err;
  }
}

/** Removes a key: images signed only with it are refused from then on (running pods keep running). */
export async function deleteSigningKey(opts: Ctx & { keyId: string }): Promise<{ clustersUpdated: number }> {
  const { prisma, principal } = opts;
  const { team } = await requireTeam({ prisma, principal, slug: opts.teamSlug, need: "manage" });
  if (!uuid.safeParse(opts.keyId).success) throw notFound("Signing key not found", { key: "error.signingKey.notFound" });
  const row = await prisma.imageSigningKey.findFirst({
    where: { id: opts.keyId, teamId: team.id },
    select: { id: true, name: true, fingerprint: true },
  });
  if (!row) throw notFound("Signing key not found", { key: "error.signingKey.notFound" });
  await prisma.imageSigningKey.delete({ where: { id: row.id } });
  await recordAudit({
    prisma,
    ...actorOf(principal),
    action: "team.signing_key.delete",
    teamId: team.id,
    targetType: "signing_key",
    targetId: row.id,
    details: { name: row.name, fingerprint: row.fingerprint },
    meta: opts.meta,
  });
  return { clustersUpdated: await reapplyToClusters(prisma, team.id) };
}
