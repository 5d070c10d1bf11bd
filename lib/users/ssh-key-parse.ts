import { createPublicKey, type JsonWebKey } from "node:crypto";
import { AppError } from "../core/errors";
import { type ErrorKey, errorMessage, type TextParams } from "../core/error-text";
import { fingerprintKeyBlob } from "../ssh/fingerprint";

// Parses one OpenSSH public key line strictly. The base64 blob is decoded field by field, its
// embedded type must match the line's, the key material must be a valid key for its curve or
// modulus (node's crypto checks that), and nothing may follow it. Fingerprints match `ssh-keygen -lf`.

export interface ParsedSshKey {
  keyType: string;
  bits: number;
  fingerprint: string;
  comment: string;
  /** Normalised line: "type base64 comment" */
  publicKey: string;
}

const CURVES = {
  "ecdsa-sha2-nistp256": ["nistp256", "P-256", 256, 32],
  "ecdsa-sha2-nistp384": ["nistp384", "P-384", 384, 48],
  "ecdsa-sha2-nistp521": ["nistp521", "P-521", 521, 66],
} as const;
const ACCEPTED = ["ssh-ed25519", ...Object.keys(CURVES), "ssh-rsa"];
const MIN_RSA_BITS = 3072;
const MAX_RSA_BITS = 16384;
const MAX_INPUT = 16 * 1024;

// Each refusal is one sentence of the error dictionary: its English (lib/core/error-text.ts) is the message.
const bad = (key: ErrorKey, params?: TextParams) => new AppError("VALIDATION", errorMessage(key, params), { key, params });

/** Reads SSH wire-format strings (uint32 length + bytes) from a blob, refusing to overrun it. */
function reader(blob: Buffer) {
  let at = 0;
  return {
    next(): Buffer {
      if (at + 4 > blob.length) throw bad("error.sshKey.truncated");
      const len = blob.readUInt32BE(at);
      if (len > blob.length - at - 4) throw bad("error.sshKey.truncated");
      const out = blob.subarray(at + 4, at + 4 + len);
      at += 4 + len;
      return out;
    },
    done: () => at === blob.length,
  };
}

/** Unsigned big-endian integer from an SSH mpint (which may carry a leading zero byte). */
const unsigned = (mpint: Buffer) => {
  let i = 0;
  while (i < mpint.length - 1 && mpint[i] === 0) i++;
  return mpint.subarray(i);
};
const b64url = (b: Buffer) => b.toString("base64url");

function explainNotAKey(text: string): never {
  if (/PRIVATE KEY|PuTTY-User-Key-File/.test(text)) {
    throw bad("error.sshKey.private");
  }
  if (/BEGIN SSH2 PUBLIC KEY/.test(text)) {
    throw bad("error.sshKey.rfc4716");
  }
  throw bad("error.sshKey.notOpenSsh");
}

function checkMaterial(type: string, r: ReturnType<typeof reader>): number {
  if (type === "ssh-ed25519") {
    const pk = r.next();
    if (pk.length !== 32) throw bad("error.sshKey.ed25519Length");
    createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: b64url(pk) } as JsonWebKey, format: "jwk" });
    return 256;
  }
  if (type in CURVES) {
    const [name, crv, bits, size] = CURVES[type as keyof typeof CURVES];
    if (r.next().toString("latin1") !== name) throw bad("error.sshKey.curveMismatch", { type });
    const q = r.next();
    if (q.length !== 1 + 2 * size || q[0] !== 4) throw bad("error.sshKey.ecdsaPoint");
    const key = { kty: "EC", crv, x: b64url(q.subarray(1, 1 + size)), y: b64url(q.subarray(1 + size)) } as JsonWebKey;
    createPublicKey({ key, format: "jwk" });
    return bits;
  }
  const e = unsigned(r.next());
  const n = unsigned(r.next());
  const bits = n.length === 0 ? 0 : (n.length - 1) * 8 + n[0]!.toString(2).length;
  if (bits < MIN_RSA_BITS) throw bad("error.sshKey.rsaTooShort", { bits, min: MIN_RSA_BITS });
  if (bits > MAX_RSA_BITS) throw bad("error.sshKey.rsaTooLong", { bits, max: MAX_RSA_BITS });
  createPublicKey({ key: { kty: "RSA", n: b64url(n), e: b64url(e) } as JsonWebKey, format: "jwk" });
  return bits;
}

/** Validates one pasted public key and returns what Skjold stores about it. Throws AppError VALIDATION. */
export function parseSshPublicKey(input: string): ParsedSshKey {
  if (input.length > MAX_INPUT) throw bad("error.sshKey.tooLong", { max: MAX_INPUT });
  const text = input.replace(/^\uFEFF/, "").trim();
  if (!text) throw bad("error.sshKey.empty");
  if (/PRIVATE KEY|PuTTY-User-Key-File|BEGIN SSH2/.test(text)) explainNotAKey(text);
  const lines = text.split(/\r?\n/).filter((l) => l.trim() && !l.trim().startsWith("#"));
  if (lines.length !== 1) throw bad("error.sshKey.lines", { lines: lines.length });
  const fields = lines[0]!.trim().split(/[ \t]+/);
  const type = fields[0]!;
  if (!ACCEPTED.includes(type)) {
    if (fields.some((f) => ACCEPTED.includes(f))) {
      throw bad("error.sshKey.options");
    }
    if (/^(ssh-dss|sk-|.*-cert-v01@openssh\.com)/.test(type)) {
      throw bad("error.sshKey.typeRefused", { type, min: MIN_RSA_BITS });
    }
    explainNotAKey(text);
  }
  const b64 = fields[1] ?? "";
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) throw bad("error.sshKey.base64");
  const comment = fields.slice(2).join(" ");
  if (fields.slice(2).some((f) => ACCEPTED.includes(f))) throw bad("error.sshKey.several");
  if (/[\u0000-\u001f\u007f]/.test(comment) || comment.length > 200) throw bad("error.sshKey.comment");
  const blob = Buffer.from(b64, "base64");
  const r = reader(blob);
  const embedded = r.next().toString("latin1");
  if (embedded !== type) throw bad("error.sshKey.typeMismatch", { type, embedded: embedded.slice(0, 40) || "empty" });
  let bits: number;
  try {
    bits = checkMaterial(type, r);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw bad("error.sshKey.material");
  }
  if (!r.done()) throw bad("error.sshKey.extraData");
  return { keyType: type, bits, fingerprint: fingerprintKeyBlob(blob), comment, publicKey: [type, b64, comment].filter(Boolean).join(" ") };
}
