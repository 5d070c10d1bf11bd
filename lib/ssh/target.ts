import { createHash } from "node:crypto";
import { z } from "zod";
import { FingerprintSchema } from "./fingerprint";

// Who to reach and how. `privateKey` is the decrypted OpenSSH key (decryptSecret at the caller);
// it is never logged nor put into an error. `via` makes this a jump: the connection is tunnelled
// through `via` (forwardOut to `host:port` as seen from that host), e.g. a guest behind its host.

export const HostnameSchema = z.string().regex(/^[A-Za-z0-9.:_-]{1,253}$/, "must be a host name or IP address");

export interface SshTarget {
  /** shown in errors, e.g. the host's name in Skjold; defaults to user@host:port */
  label?: string;
  host: string;
  port: number;
  username: string;
  privateKey: string;
  /** pinned "SHA256:…"; null/undefined means not confirmed yet (connecting reports what it saw) */
  hostKeyFingerprint?: string | null;
  via?: SshTarget;
  /** the Skjold host this target is (never a guest): a failure to reach it is recorded on that host */
  hostId?: string;
}

const SshTargetSchema: z.ZodType<SshTarget> = z.lazy(() =>
  z.object({
    label: z.string().min(1).max(120).optional(),
    host: HostnameSchema,
    port: z.number().int().min(1).max(65535),
    username: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, "must be a POSIX user name"),
    privateKey: z.string().includes("PRIVATE KEY", { message: "must be an OpenSSH/PEM private key" }),
    hostKeyFingerprint: FingerprintSchema.nullish(),
    via: SshTargetSchema.optional(),
    hostId: z.uuid().optional(),
  }),
);

export function targetLabel(t: SshTarget): string {
  const self = t.label ?? `${t.username}@${t.host}:${t.port}`;
  return t.via ? `${self} via ${targetLabel(t.via)}` : self;
}

/**
 * Pool key: one connection per (user, address, pinned host key, the key it logs in with, route). The
 * login key is part of it (as a digest, never the key): a connection authenticated with Skjold's
 * management key must never serve a caller that holds another key, e.g. a tenant's.
 */
export function targetKey(t: SshTarget): string {
  const login = createHash("sha256").update(t.privateKey).digest("base64url").slice(0, 16);
  const self = `${t.username}@${t.host}:${t.port}#${t.hostKeyFingerprint ?? "unpinned"}#${login}`;
  return t.via ? `${self}>${targetKey(t.via)}` : self;
}
