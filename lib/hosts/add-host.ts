// ssh2 is CommonJS: a default import works under node ESM (tsx, the worker) as well as in bundlers.
import ssh2 from "ssh2";
import { actorOf, recordAudit } from "../audit/record-audit";
import type { Principal, RequestMeta } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import { AppError, fromZod } from "../core/errors";
import { encryptSecret } from "../core/secrets";
import type { PrismaClient } from "../generated/prisma/client";
import { fetchHostKey } from "../ssh/connect";
import { generateKeyPair } from "../ssh/keygen";
import { authorizedKeysLine, toPublicHost, type PublicHost } from "./host-record";
import { AddHostInput } from "./schemas";

export interface AddHostResult {
  host: PublicHost;
  /** what the host presented, for the admin to compare before confirming */
  presentedFingerprint: string;
  hostKeyAlgorithm: string;
  /** Skjold's public key and the exact authorized_keys line to install on the host */
  publicKey: string;
  authorizedKeysLine: string;
}

/**
 * Admin: records a host and reads the SSH host key it presents (no login, nothing runs). The host
 * stays PENDING_KEY until an admin confirms that fingerprint with `confirmHostKey`.
 */
export async function addHost(opts: {
  prisma: PrismaClient;
  principal: Principal;
  input: unknown;
  meta?: RequestMeta;
  timeoutMs?: number;
}): Promise<AddHostResult> {
  requireAdmin(opts.principal);
  const parsed = AddHostInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Host");
  const input = parsed.data;
  const region = await opts.prisma.region.findUnique({ where: { code: input.regionCode } });
  if (!region)
    throw new AppError("VALIDATION", `Region ${input.regionCode} does not exist.`, {
      key: "error.host.regionMissing",
      params: { regionCode: input.regionCode },
    });
  if (await opts.prisma.host.findUnique({ where: { name: input.name } }))
    throw new AppError("CONFLICT", `A host named ${input.name} already exists.`, {
      key: "error.host.nameTaken",
      params: { name: input.name },
    });

  const keys = input.privateKey ? fromPastedKey(input.privateKey) : generateKeyPair({ comment: `skjold@${input.name}` });
  const presented = await fetchHostKey({
    target: { label: input.name, host: input.address, port: input.port, username: input.username },
    timeoutMs: opts.timeoutMs ?? 10_000,
  });
  const host = await opts.prisma.host.create({
    data: {
      name: input.name,
      regionId: region.id,
      address: input.address,
      port: input.port,
      username: input.username,
      privateKeyEnc: encryptSecret(keys.privateKey),
      publicKey: keys.publicKey,
      hostKeyAlgorithm: presented.algorithm,
      presentedFingerprint: presented.fingerprint,
      status: "PENDING_KEY",
      networkMode: input.networkMode,
      uplink: input.uplink ?? null,
      bridge: input.bridge ?? null,
      guestAccess: input.guestAccess,
    },
  });
  await recordAudit({
    prisma: opts.prisma,
    ...actorOf(opts.principal),
    action: "host.create",
    targetType: "host",
    targetId: host.id,
    details: {
      name: host.name,
      region: region.code,
      address: host.address,
      port: host.port,
      username: host.username,
      keyMode: input.keyMode,
      networkMode: input.networkMode,
      presentedFingerprint: presented.fingerprint,
    },
    meta: opts.meta,
  });
  return {
    host: toPublicHost(host),
    presentedFingerprint: presented.fingerprint,
    hostKeyAlgorithm: presented.algorithm,
    publicKey: host.publicKey,
    authorizedKeysLine: authorizedKeysLine(host),
  };
}

/** A pasted private key must parse and carry no passphrase; its public half is derived, not trusted from input. */
function fromPastedKey(privateKey: string): { privateKey: string; publicKey: string } {
  const parsed = ssh2.utils.parseKey(`${privateKey.trim()}\n`);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error || !key.isPrivateKey()) {
    const encrypted = key instanceof Error && /passphrase|encrypted/i.test(key.message);
    const why = encrypted ? "it is protected by a passphrase; paste an unencrypted key" : "it could not be read";
    throw new AppError("VALIDATION", `Host: privateKey: ${why}.`, {
      key: encrypted ? "error.host.privateKeyEncrypted" : "error.host.privateKeyUnreadable",
    });
  }
  return { privateKey: `${privateKey.trim()}\n`, publicKey: `${key.type} ${key.getPublicSSH().toString("base64")}` };
}
