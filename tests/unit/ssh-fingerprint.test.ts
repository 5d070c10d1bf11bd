import { execFileSync } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { judgeHostKey } from "@/lib/ssh/connect";
import { fingerprintPublicKey, FingerprintSchema } from "@/lib/ssh/fingerprint";
import { generateKeyPair, openSshKeyPair } from "@/lib/ssh/keygen";
import ssh2 from "ssh2";

describe("fingerprints", () => {
  it("match `ssh-keygen -lf` exactly, for keys made by ssh-keygen and by generateKeyPair", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "skjold-fp-"));
    try {
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", `${dir}/k`]);
      const pair = generateKeyPair({ comment: "admin@skjold" });
      writeFileSync(`${dir}/g.pub`, `${pair.publicKey}\n`);
      writeFileSync(`${dir}/g`, pair.privateKey, { mode: 0o600 });
      for (const [pub, ours] of [
        [`${dir}/k.pub`, fingerprintPublicKey(readFileSync(`${dir}/k.pub`, "utf8"))],
        [`${dir}/g.pub`, pair.fingerprint],
      ] as const) {
        const printed = execFileSync("ssh-keygen", ["-lf", pub], { encoding: "utf8" }).split(" ")[1];
        expect(ours).toBe(printed);
        expect(FingerprintSchema.parse(ours)).toBe(ours);
      }
      // the private key is a real OpenSSH key: ssh-keygen derives the same public key from it
      expect(
        execFileSync("ssh-keygen", ["-y", "-f", `${dir}/g`], { encoding: "utf8" })
          .split(" ")
          .slice(0, 2),
      ).toEqual(pair.publicKey.split(" ").slice(0, 2));
      expect(pair.publicKey).toMatch(/^ssh-ed25519 AAAA\S+ admin@skjold$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("generated key pairs", () => {
  // The first seed (counting up from 0) whose public key starts with a zero byte: the case ssh2's own
  // generator got wrong (it dropped that byte, and ssh-keygen refused the key).
  function keyWithLeadingZero(): { seed: Buffer; pub: Buffer } {
    for (let i = 0; ; i++) {
      const seed = Buffer.alloc(32);
      seed.writeUInt32BE(i, 28);
      const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
      const pub = Buffer.from(createPrivateKey({ key: der, format: "der", type: "pkcs8" }).export({ format: "jwk" }).x!, "base64url");
      if (pub[0] === 0) return { seed, pub };
    }
  }

  it("are accepted by ssh-keygen and ssh2 whole, also when the public key starts with a zero byte", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "skjold-kg-"));
    try {
      const { seed, pub } = keyWithLeadingZero();
      const pairs = [
        openSshKeyPair(seed, pub, "zero@skjold"),
        ...Array.from({ length: 5 }, (_, i) => generateKeyPair({ comment: `k${i} with spaces` })),
      ];
      for (const [i, pair] of pairs.entries()) {
        writeFileSync(`${dir}/${i}.pub`, `${pair.publicKey}\n`);
        writeFileSync(`${dir}/${i}`, pair.privateKey, { mode: 0o600 });
        expect(execFileSync("ssh-keygen", ["-lf", `${dir}/${i}.pub`], { encoding: "utf8" }).split(" ")[1]).toBe(pair.fingerprint);
        expect(
          execFileSync("ssh-keygen", ["-y", "-f", `${dir}/${i}`], { encoding: "utf8" })
            .split(" ")
            .slice(0, 2),
        ).toEqual(pair.publicKey.split(" ").slice(0, 2));
        const parsed = ssh2.utils.parseKey(pair.privateKey);
        if (parsed instanceof Error) throw parsed;
        expect(parsed.getPublicSSH().toString("base64")).toBe(pair.publicKey.split(" ")[1]);
        expect(pair.publicKey).not.toMatch(/ with /); // the comment cannot break the line apart
      }
      expect(Buffer.from(pairs[0]!.publicKey.split(" ")[1]!, "base64").subarray(19, 20)).toEqual(Buffer.from([0]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("judgeHostKey", () => {
  const a = `SHA256:${"A".repeat(43)}`;
  const b = `SHA256:${"B".repeat(43)}`;
  it("asks for confirmation when nothing is pinned", () => {
    expect(judgeHostKey({ pinned: null, presented: a, algorithm: "ssh-ed25519" })).toEqual({
      kind: "unconfirmed",
      presented: a,
      algorithm: "ssh-ed25519",
    });
  });
  it("refuses a key that differs from the pinned one", () => {
    expect(judgeHostKey({ pinned: a, presented: b, algorithm: "ssh-ed25519" })).toEqual({ kind: "mismatch", expected: a, presented: b });
  });
  it("accepts the pinned key", () => {
    expect(judgeHostKey({ pinned: a, presented: a, algorithm: "ssh-ed25519" }).kind).toBe("ok");
  });
});
