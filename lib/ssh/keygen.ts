import { generateKeyPairSync, randomBytes } from "node:crypto";
import { fingerprintPublicKey } from "./fingerprint";

// ed25519 key pairs in OpenSSH's own formats, built from node:crypto's key. Not ssh2's
// generateKeyPairSync: it drops a leading zero byte of the 32-byte public key (one key in 256),
// and ssh-keygen and sshd then refuse the key ("is not a public key file"): a guest given such a
// host key could not be pinned. The format is PROTOCOL.key in OpenSSH's sources.

export interface GeneratedKeyPair {
  /** OpenSSH private key (PEM "OPENSSH PRIVATE KEY"); store with encryptSecret, never log. */
  privateKey: string;
  /** one authorized_keys line to show the admin: "ssh-ed25519 AAAA… comment" */
  publicKey: string;
  fingerprint: string;
}

/** A fresh ed25519 key pair, e.g. for "generate a key pair and show me the public key to install". */
export function generateKeyPair(opts: { comment?: string } = {}): GeneratedKeyPair {
  const { privateKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  return openSshKeyPair(Buffer.from(jwk.d!, "base64url"), Buffer.from(jwk.x!, "base64url"), opts.comment);
}

/** The OpenSSH encoding of an ed25519 key from its 32-byte seed and 32-byte public key. */
export function openSshKeyPair(seed: Buffer, pub: Buffer, comment = "skjold"): GeneratedKeyPair {
  if (seed.length !== 32 || pub.length !== 32) throw new Error("an ed25519 seed and public key are 32 bytes each");
  const cleanComment = comment.replace(/[^\w.@-]/g, "_").slice(0, 64);
  const keyType = Buffer.from("ssh-ed25519");
  const publicBlob = Buffer.concat([sshString(keyType), sshString(pub)]);
  const check = randomBytes(4);
  let secret = Buffer.concat([check, check, publicBlob, sshString(Buffer.concat([seed, pub])), sshString(Buffer.from(cleanComment))]);
  const padding = (8 - (secret.length % 8)) % 8;
  secret = Buffer.concat([secret, Buffer.from(Array.from({ length: padding }, (_, i) => i + 1))]);
  const none = sshString(Buffer.from("none"));
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0"),
    none,
    none,
    sshString(Buffer.alloc(0)),
    uint32(1),
    sshString(publicBlob),
    sshString(secret),
  ]);
  const lines = body.toString("base64").match(/.{1,70}/g)!;
  const publicKey = `ssh-ed25519 ${publicBlob.toString("base64")} ${cleanComment}`;
  return {
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicKey,
    fingerprint: fingerprintPublicKey(publicKey),
  };
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function sshString(data: Buffer): Buffer {
  return Buffer.concat([uint32(data.length), data]);
}
