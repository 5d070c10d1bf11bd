import { z } from "zod";
import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { AppError, fromZod, notFound } from "../core/errors";
import { findPage, listOrder, type Page, type PageRequest } from "../core/pagination";
import { safeText, uuid } from "../core/validation";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { parseSshPublicKey } from "./ssh-key-parse";

// SSH public keys on a person's profile. They are personal: a team API token cannot add or delete
// them, but it can list its creator's keys, because an order placed with that token may use them.
// A key is installed for the guest's admin user when a VM is ordered with it.

export { parseSshPublicKey } from "./ssh-key-parse";

const MAX_SSH_KEYS_PER_USER = 50;

export const AddSshKeyInput = z.object({
  name: safeText(60),
  publicKey: z.string().max(16 * 1024, "is too long for a public key"),
});

const PUBLIC_FIELDS = { id: true, name: true, keyType: true, bits: true, fingerprint: true, publicKey: true, createdAt: true } as const;

export type SshKeyView = {
  id: string;
  name: string;
  keyType: string;
  bits: number | null;
  fingerprint: string;
  publicKey: string;
  createdAt: Date;
};

type Ctx = { prisma: PrismaClient; principal: Principal; meta?: RequestMeta };

function personOf(principal: Principal) {
  if (principal.kind !== "user")
    throw new AppError("FORBIDDEN", "SSH keys belong to a person: manage them signed in to the portal, not with a team API token.", {
      key: "error.sshKey.personOnly",
    });
  return principal;
}

const SSH_KEY_ORDER = listOrder<Prisma.SshKeyWhereInput, Prisma.SshKeyOrderByWithRelationInput>("ssh-keys", [
  { field: "createdAt", dir: "asc", kind: "time" },
  { field: "id", dir: "asc", kind: "uuid" },
]);

/** A page of the person's keys (a token: its creator's), oldest first. */
export async function listSshKeys(opts: Ctx & { page: PageRequest }): Promise<Page<SshKeyView>> {
  return findPage({
    order: SSH_KEY_ORDER,
    page: opts.page,
    where: { userId: opts.principal.userId },
    find: (query) => opts.prisma.sshKey.findMany({ ...query, select: PUBLIC_FIELDS }),
  });
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}

export async function addSshKey(opts: Ctx & { input: unknown }): Promise<SshKeyView> {
  const user = personOf(opts.principal);
  const parsed = AddSshKeyInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "SSH key");
  const key = parseSshPublicKey(parsed.data.publicKey);
  const { name } = parsed.data;
  const existing = await opts.prisma.sshKey.findMany({ where: { userId: user.userId }, select: { name: true, fingerprint: true } });
  const same = existing.find((k) => k.fingerprint === key.fingerprint);
  if (same)
    throw new AppError("CONFLICT", `This key is already on your account as "${same.name}" (${key.fingerprint}).`, {
      key: "error.sshKey.duplicate",
      params: { name: same.name, fingerprint: key.fingerprint },
    });
  if (existing.some((k) => k.name === name))
    throw new AppError("CONFLICT", `You already have a key named "${name}". Pick another name.`, {
      key: "error.sshKey.nameTaken",
      params: { name },
    });
  if (existing.length >= MAX_SSH_KEYS_PER_USER)
    throw new AppError("QUOTA_EXCEEDED", `You can keep at most ${MAX_SSH_KEYS_PER_USER} SSH keys. Delete one you no longer use.`, {
      key: "error.sshKey.limit",
      params: { max: MAX_SSH_KEYS_PER_USER },
    });
  try {
    const row = await opts.prisma.sshKey.create({
      data: { userId: user.userId, name, publicKey: key.publicKey, keyType: key.keyType, bits: key.bits, fingerprint: key.fingerprint },
      select: PUBLIC_FIELDS,
    });
    await recordAudit({
      prisma: opts.prisma,
      ...actorOf(user),
      action: "user.ssh_key.add",
      targetType: "ssh_key",
      targetId: row.id,
      details: { name, keyType: key.keyType, fingerprint: key.fingerprint },
      meta: opts.meta,
    });
    return row;
  } catch (err) {
    // Two tabs adding the same key at once: the unique index decides, the loser gets a clear answer.
    if (isUniqueViolation(err))
      throw new AppError("CONFLICT", "This key or this name is already on your account.", { key: "error.sshKey.taken" });
    throw err;
  }
}

/** Removes a key from the profile. VMs that were ordered with it keep it in their authorized_keys. */
export async function deleteSshKey(opts: Ctx & { keyId: string }): Promise<void> {
  const user = personOf(opts.principal);
  if (!uuid.safeParse(opts.keyId).success) throw notFound("SSH key not found", { key: "error.sshKey.notFound" });
  const row = await opts.prisma.sshKey.findFirst({
    where: { id: opts.keyId, userId: user.userId },
    select: { id: true, name: true, fingerprint: true },
  });
  if (!row) throw notFound("SSH key not found", { key: "error.sshKey.notFound" });
  await opts.prisma.sshKey.delete({ where: { id: row.id } });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(user),
    action: "user.ssh_key.delete",
    targetType: "ssh_key",
    targetId: row.id,
    details: { name: row.name, fingerprint: row.fingerprint },
    meta: opts.meta,
  });
}
