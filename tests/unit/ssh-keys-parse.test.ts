import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSshPublicKey } from "@/lib/users/ssh-keys";

// Real keys from ssh-keygen; the fingerprint and bit count must be exactly what `ssh-keygen -lf` says.
const dir = mkdtempSync(path.join(tmpdir(), "skjold-keys-"));
const keys: Record<string, { pub: string; priv: string; lf: string }> = {};

function keygen(name: string, args: string[]) {
  const file = path.join(dir, name);
  execFileSync("ssh-keygen", ["-q", "-N", "", "-C", `${name}@laptop`, "-f", file, ...args]);
  keys[name] = {
    pub: readFileSync(`${file}.pub`, "utf8"),
    priv: readFileSync(file, "utf8"),
    lf: execFileSync("ssh-keygen", ["-lf", `${file}.pub`], { encoding: "utf8" }),
  };
}

beforeAll(() => {
  keygen("ed25519", ["-t", "ed25519"]);
  keygen("p256", ["-t", "ecdsa", "-b", "256"]);
  keygen("p384", ["-t", "ecdsa", "-b", "384"]);
  keygen("p521", ["-t", "ecdsa", "-b", "521"]);
  keygen("rsa3072", ["-t", "rsa", "-b", "3072"]);
  keygen("rsa2048", ["-t", "rsa", "-b", "2048"]);
  keygen("pem", ["-t", "rsa", "-b", "3072", "-m", "PEM"]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const msg = (text: string) => {
  try {
    parseSshPublicKey(text);
  } catch (e) {
    return (e as Error).message;
  }
  return "accepted";
};

describe("parseSshPublicKey", () => {
  it.each([
    ["ed25519", "ssh-ed25519", 256],
    ["p256", "ecdsa-sha2-nistp256", 256],
    ["p384", "ecdsa-sha2-nistp384", 384],
    ["p521", "ecdsa-sha2-nistp521", 521],
    ["rsa3072", "ssh-rsa", 3072],
  ])("accepts %s with ssh-keygen's fingerprint and bits", (name, type, bits) => {
    const k = parseSshPublicKey(keys[name]!.pub);
    const [lfBits, lfFingerprint] = keys[name]!.lf.split(" ");
    expect(k).toMatchObject({ keyType: type, bits, comment: `${name}@laptop` });
    expect(k.fingerprint).toBe(lfFingerprint);
    expect(String(k.bits)).toBe(lfBits);
    expect(k.publicKey).toBe(keys[name]!.pub.trim());
  });

  it("tolerates CRLF, surrounding blank lines and a byte-order mark", () => {
    const k = parseSshPublicKey(`\uFEFF\r\n${keys.ed25519!.pub.trim()}\r\n\r\n`);
    expect(k.fingerprint).toBe(keys.ed25519!.lf.split(" ")[1]);
  });

  it("refuses RSA keys below 3072 bits and says how to make a better one", () => {
    expect(msg(keys.rsa2048!.pub)).toMatch(/2048 bits.*3072 bits or more.*ssh-keygen -t ed25519/);
  });

  it("refuses a private key pasted by mistake, OpenSSH and PEM alike, without echoing it", () => {
    for (const priv of [keys.ed25519!.priv, keys.pem!.priv]) {
      const m = msg(priv);
      expect(m).toMatch(/PRIVATE key.*public key instead/);
      expect(m).not.toContain(priv.split("\n")[1]!.slice(0, 20));
    }
  });

  it("refuses options before the key, several keys, and an RFC 4716 key", () => {
    expect(msg(`from="10.0.0.1",no-pty ${keys.ed25519!.pub}`)).toMatch(/Remove the options/);
    expect(msg(`command="echo hi" ${keys.ed25519!.pub}`)).toMatch(/Remove the options/);
    expect(msg(`${keys.ed25519!.pub}${keys.p256!.pub}`)).toMatch(/exactly one key; this has 2 lines/);
    expect(msg(`${keys.ed25519!.pub.trim()} ${keys.p256!.pub.trim()}`)).toMatch(/several/);
    const rfc = execFileSync("ssh-keygen", ["-e", "-f", path.join(dir, "ed25519.pub")], { encoding: "utf8" });
    expect(msg(rfc)).toMatch(/RFC 4716.*ssh-keygen -i/);
  });

  it("refuses a line whose type does not match the type inside the blob", () => {
    const [, b64] = keys.p256!.pub.split(" ");
    expect(msg(`ssh-ed25519 ${b64}`)).toMatch(/says ssh-ed25519 but the key data is ecdsa-sha2-nistp256/);
  });

  it("refuses damaged key data: truncated, trailing bytes, an off-curve point, bad base64", () => {
    const [type, b64] = keys.p256!.pub.split(" ") as [string, string];
    const blob = Buffer.from(b64, "base64");
    expect(msg(`${type} ${blob.subarray(0, blob.length - 8).toString("base64")}`)).toMatch(/truncated/);
    expect(msg(`${type} ${Buffer.concat([blob, Buffer.from([0, 0, 0, 1, 7])]).toString("base64")}`)).toMatch(/extra data/);
    const offCurve = Buffer.from(blob);
    offCurve[offCurve.length - 1]! ^= 0x01;
    expect(msg(`${type} ${offCurve.toString("base64")}`)).toMatch(/not a valid public key/);
    expect(msg(`${type} ${b64.slice(0, -3)}!!!`)).toMatch(/not valid base64/);
  });

  it("refuses DSA, security-key and certificate types, and arbitrary text", () => {
    expect(msg("ssh-dss AAAAB3NzaC1kc3MAAACBAP")).toMatch(/ssh-dss keys are not accepted/);
    expect(msg("sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29tAAAAI")).toMatch(/not accepted/);
    expect(msg("ssh-ed25519-cert-v01@openssh.com AAAA")).toMatch(/not accepted/);
    expect(msg("hello world")).toMatch(/does not look like an OpenSSH public key/);
    expect(msg("")).toMatch(/Paste your public key/);
    expect(msg("A".repeat(20_000))).toMatch(/at most 16384 characters/);
  });
});
