import { describe, expect, it } from "vitest";
import { base32Encode, totpCode, verifyTotp } from "@/lib/auth/totp";
import { AppError, toPublicError } from "@/lib/core/errors";
import { EnvError, parseEnv } from "@/lib/core/env";
import { decryptSecret, encryptSecret } from "@/lib/core/secrets";
import { safeText, slug, email } from "@/lib/core/validation";
import { roleCan } from "@/lib/access/team-access";
import { randomBytes } from "node:crypto";

describe("TOTP (RFC 6238, SHA-1 test vectors)", () => {
  const secret = base32Encode(Buffer.from("12345678901234567890"));
  it.each([
    [59, "287082"],
    [1111111109, "081804"],
    [1234567890, "005924"],
    [2000000000, "279037"],
  ])("at %i s gives %s", (t, code) => {
    expect(totpCode(secret, t * 1000)).toBe(code);
  });
  it("accepts one step of clock skew and nothing further", () => {
    const now = 1_700_000_000_000;
    expect(verifyTotp(secret, totpCode(secret, now - 30_000), now)).toBe(true);
    expect(verifyTotp(secret, totpCode(secret, now - 90_000), now)).toBe(false);
    expect(verifyTotp(secret, "12345x", now)).toBe(false);
  });
});

describe("secrets at rest", () => {
  const key = randomBytes(32);
  it("round-trips and never contains the plaintext", () => {
    const sealed = encryptSecret("-----BEGIN OPENSSH PRIVATE KEY-----", key);
    expect(sealed).not.toContain("OPENSSH");
    expect(decryptSecret(sealed, key)).toBe("-----BEGIN OPENSSH PRIVATE KEY-----");
  });
  it("detects tampering and a wrong key", () => {
    const sealed = encryptSecret("kubeconfig", key);
    const parts = sealed.split(".");
    parts[3] = Buffer.from("tampered").toString("base64url");
    expect(() => decryptSecret(parts.join("."), key)).toThrow();
    expect(() => decryptSecret(sealed, randomBytes(32))).toThrow();
  });
});

describe("environment", () => {
  it("names the variable that is wrong", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL: must be a postgres/);
    expect(() => parseEnv({ SKJOLD_ADMIN_PASSWORD: "short" })).toThrow(/SKJOLD_ADMIN_PASSWORD: must be at least 12/);
  });
  it("requires an encryption key in production on PostgreSQL", () => {
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://db/skjold" })).toThrow(EnvError);
    expect(() =>
      parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://db/skjold", SKJOLD_SECRET_KEY: randomBytes(32).toString("base64") }),
    ).not.toThrow();
  });
});

describe("input rules", () => {
  it("refuses control and direction-override characters, and oversized text", () => {
    expect(safeText(80).safeParse("Acme\u202eSA").success).toBe(false);
    expect(safeText(80).safeParse("Acme\u0000").success).toBe(false);
    expect(safeText(80).safeParse("x".repeat(1_000_000)).success).toBe(false);
    expect(safeText(80).parse("  Ærlig Østfold Å  ")).toBe("Ærlig Østfold Å");
  });
  it("keeps slugs and emails strict", () => {
    for (const bad of ["x; DROP TABLE", "-a", "a-", "A", "a/b", "../x", "é"]) expect(slug.safeParse(bad).success, bad).toBe(false);
    expect(email.parse(" Kari@Example.NO ")).toBe("kari@example.no");
    expect(email.safeParse("' OR 1=1 --").success).toBe(false);
  });
});

describe("errors", () => {
  it("maps expected errors to their status and hides unexpected ones behind an id", () => {
    expect(toPublicError(new AppError("QUOTA_EXCEEDED", "Quota")).status).toBe(409);
    const hidden = toPublicError(new Error("password=hunter2 at db.ts:10"));
    expect(hidden.status).toBe(500);
    expect(JSON.stringify(hidden.body)).not.toContain("hunter2");
    expect(hidden.body.error.message).toContain(hidden.body.error.correlationId!);
  });
});

describe("roles", () => {
  it("lets a viewer read only, an auditor read reports, a member operate, an owner manage", () => {
    expect(roleCan("VIEWER", "read")).toBe(true);
    expect(roleCan("VIEWER", "operate")).toBe(false);
    expect(roleCan("AUDITOR", "audit")).toBe(true);
    expect(roleCan("AUDITOR", "operate")).toBe(false);
    expect(roleCan("MEMBER", "operate")).toBe(true);
    expect(roleCan("MEMBER", "manage")).toBe(false);
    expect(roleCan("OWNER", "manage")).toBe(true);
  });
});
