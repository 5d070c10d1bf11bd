import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { judgeHostKey } from "@/lib/ssh/connect";
import { fingerprintPublicKey, FingerprintSchema } from "@/lib/ssh/fingerprint";
import { generateKeyPair } from "@/lib/ssh/keygen";

describe("fingerprints", () => {
  it("match `ssh-keygen -lf` exactly, for keys made by ssh-keygen and by generateKeyPair", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "skjold-fp-"));
    try {
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", `${dir}/k`]);
      const pair = generateKeyPair({ comment: "admin@skjold" });
      writeFileSync(`${dir}/g.pub`, `${pair.publicKey}\n`);
      writeFileSync(`${dir}/g`, pair.privateKey, { mode: 0o600 });
      for (const [pub, ours] of [[`${dir}/k.pub`, fingerprintPublicKey(readFileSync(`${dir}/k.pub`, "utf8"))], [`${dir}/g.pub`, pair.fingerprint]] as const) {
        const printed = execFileSync("ssh-keygen", ["-lf", pub], { encoding: "utf8" }).split(" ")[1];
        expect(ours).toBe(printed);
        expect(FingerprintSchema.parse(ours)).toBe(ours);
      }
      // the private key is a real OpenSSH key: ssh-keygen derives the same public key from it
      expect(execFileSync("ssh-keygen", ["-y", "-f", `${dir}/g`], { encoding: "utf8" }).split(" ").slice(0, 2)).toEqual(pair.publicKey.split(" ").slice(0, 2));
      expect(pair.publicKey).toMatch(/^ssh-ed25519 AAAA\S+ admin@skjold$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("judgeHostKey", () => {
  const a = "SHA256:" + "A".repeat(43);
  const b = "SHA256:" + "B".repeat(43);
  it("asks for confirmation when nothing is pinned", () => {
    expect(judgeHostKey({ pinned: null, presented: a, algorithm: "ssh-ed25519" })).toEqual({ kind: "unconfirmed", presented: a, algorithm: "ssh-ed25519" });
  });
  it("refuses a key that differs from the pinned one", () => {
    expect(judgeHostKey({ pinned: a, presented: b, algorithm: "ssh-ed25519" })).toEqual({ kind: "mismatch", expected: a, presented: b });
  });
  it("accepts the pinned key", () => {
    expect(judgeHostKey({ pinned: a, presented: a, algorithm: "ssh-ed25519" }).kind).toBe("ok");
  });
});
