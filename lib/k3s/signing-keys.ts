import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import { z } from "zod";

// The public keys a team signs its image scan attestations with (cosign: `cosign generate-key-pair`
// writes an ECDSA P-256 key; cosign also signs with RSA and Ed25519 keys). Only the public half ever
// reaches Skjold. A key is parsed, checked, and re-exported as canonical SPKI PEM, so what lands in
// the cluster's policy is exactly one well-formed key per entry, never the text the tenant pasted.

const PEM_BLOCK = /^-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PUBLIC KEY-----\s*$/;

function keyProblem(key: KeyObject): string | null {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === "ec")
    return d.namedCurve === "prime256v1" || d.namedCurve === "secp384r1"
      ? null
      : `an EC key must use P-256 or P-384, not ${d.namedCurve ?? "an unknown curve"}`;
  if (key.asymmetricKeyType === "rsa") return (d.modulusLength ?? 0) >= 2048 ? null : "an RSA key must have at least 2048 bits";
  if (key.asymmetricKeyType === "ed25519") return null;
  return `${key.asymmetricKeyType ?? "this"} keys cannot sign image attestations (use ECDSA P-256, RSA or Ed25519)`;
}

function keyTypeOf(key: KeyObject): string {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === "ec") return d.namedCurve === "prime256v1" ? "ECDSA P-256" : "ECDSA P-384";
  if (key.asymmetricKeyType === "rsa") return `RSA ${d.modulusLength ?? "?"}`;
  return "Ed25519";
}

/** SHA256 of the key's DER SubjectPublicKeyInfo, printed as OpenSSH prints fingerprints. */
function fingerprintOf(key: KeyObject): string {
  return `SHA256:${createHash("sha256")
    .update(key.export({ type: "spki", format: "der" }))
    .digest("base64")
    .replace(/=+$/, "")}`;
}

export function signingKeyFingerprint(pem: string): string {
  return fingerprintOf(createPublicKey(pem));
}

export type ParsedSigningKey = { ok: true; pem: string; keyType: string; fingerprint: string };

/** One PEM public key → canonical SPKI PEM with its type and fingerprint, or a readable reason it is refused. */
export function parseSigningPublicKey(text: string): ParsedSigningKey | { ok: false; reason: string } {
  const trimmed = text.trim();
  if (trimmed.length > 4096) return { ok: false, reason: "is too long for a public key" };
  if (trimmed.includes("PRIVATE KEY"))
    return { ok: false, reason: "is a private key: paste only the public key (cosign.pub), and keep the private key secret" };
  if (!PEM_BLOCK.test(trimmed))
    return { ok: false, reason: 'must be one PEM public key ("-----BEGIN PUBLIC KEY-----" … "-----END PUBLIC KEY-----")' };
  let key: KeyObject;
  try {
    key = createPublicKey({ key: trimmed, format: "pem" });
  } catch {
    return { ok: false, reason: "is not a readable public key" };
  }
  const problem = keyProblem(key);
  if (problem) return { ok: false, reason: problem };
  return {
    ok: true,
    pem: String(key.export({ type: "spki", format: "pem" })).trim(),
    keyType: keyTypeOf(key),
    fingerprint: fingerprintOf(key),
  };
}

/** Splits pasted text holding one or more PEM public keys into blocks (blank lines and spaces between them ignored). */
export function splitPemBlocks(text: string): string[] {
  return text.match(/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g) ?? (text.trim() ? [text.trim()] : []);
}

const signingPublicKeySchema = z.string().transform((text, ctx) => {
  const r = parseSigningPublicKey(text);
  if (!r.ok) {
    ctx.addIssue({ code: "custom", message: r.reason });
    return z.NEVER;
  }
  return r.pem;
});

/** At most a handful of keys per cluster: a team rotates keys, it does not collect them. */
export const signingPublicKeysSchema = z
  .array(signingPublicKeySchema)
  .max(5, "at most 5 signing keys")
  .transform((keys) => [...new Set(keys)]);
