import { createHash } from "node:crypto";
import { z } from "zod";

// Host key fingerprints exactly as `ssh-keygen -lf` prints them: "SHA256:" + unpadded base64 of the
// SHA-256 of the key blob (the wire format, i.e. the base64 field of a .pub line, decoded).

export const FingerprintSchema = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, "must look like SHA256:<43 base64 characters>");

export function fingerprintKeyBlob(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** Fingerprint of an OpenSSH public key line ("ssh-ed25519 AAAA… comment"). */
export function fingerprintPublicKey(publicKeyLine: string): string {
  const b64 = publicKeyLine.trim().split(/\s+/)[1];
  if (!b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new Error("not an OpenSSH public key line");
  return fingerprintKeyBlob(Buffer.from(b64, "base64"));
}

/** The algorithm named inside a key blob (e.g. "ssh-ed25519"), or "unknown". */
export function keyBlobAlgorithm(blob: Buffer): string {
  if (blob.length < 4) return "unknown";
  const len = blob.readUInt32BE(0);
  return len > 0 && len < 64 && blob.length >= 4 + len ? blob.subarray(4, 4 + len).toString("ascii") : "unknown";
}
