// ssh2 is CommonJS: a default import works under node ESM (tsx, the worker) as well as in bundlers.
import ssh2 from "ssh2";
import { fingerprintPublicKey } from "./fingerprint";

export interface GeneratedKeyPair {
  /** OpenSSH private key (PEM "OPENSSH PRIVATE KEY"); store with encryptSecret, never log. */
  privateKey: string;
  /** one authorized_keys line to show the admin: "ssh-ed25519 AAAA… comment" */
  publicKey: string;
  fingerprint: string;
}

/** A fresh ed25519 key pair, e.g. for "generate a key pair and show me the public key to install". */
export function generateKeyPair(opts: { comment?: string } = {}): GeneratedKeyPair {
  const comment = (opts.comment ?? "skjold").replace(/[^\w.@-]/g, "_").slice(0, 64);
  const pair = ssh2.utils.generateKeyPairSync("ed25519", { comment });
  const publicKey = pair.public.trim();
  return { privateKey: pair.private, publicKey, fingerprint: fingerprintPublicKey(publicKey) };
}
