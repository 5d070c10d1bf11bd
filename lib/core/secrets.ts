import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "./env";

// AES-256-GCM for secrets at rest (SSH private keys, kubeconfigs, TOTP secrets). The key comes from
// SKJOLD_SECRET_KEY; on the embedded lab default a key is generated once into the data folder
// (mode 600) so that a first run needs no setup. Format: v1.<iv>.<tag>.<ciphertext>, base64url.

const VERSION = "v1";

let cachedKey: Buffer | undefined;

function loadKey(): Buffer {
  if (cachedKey) return cachedKey;
  const e = env();
  if (e.SKJOLD_SECRET_KEY) {
    const raw = Buffer.from(e.SKJOLD_SECRET_KEY, "base64");
    if (raw.length < 32) throw new Error("SKJOLD_SECRET_KEY must decode to at least 32 bytes");
    cachedKey = createHash("sha256").update(raw).digest();
    return cachedKey;
  }
  if (e.NODE_ENV === "production" && e.DATABASE_URL) {
    throw new Error("SKJOLD_SECRET_KEY is missing: it is required in production");
  }
  const file = path.resolve(e.SKJOLD_DATA_DIR, "secret.key");
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
  }
  cachedKey = createHash("sha256")
    .update(Buffer.from(readFileSync(file, "utf8").trim(), "base64"))
    .digest();
  return cachedKey;
}

export function encryptSecret(plaintext: string, key: Buffer = loadKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
}

export function decryptSecret(sealed: string, key: Buffer = loadKey()): string {
  const [version, iv, tag, ct] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || ct === undefined) throw new Error("not a sealed secret");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
}

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
