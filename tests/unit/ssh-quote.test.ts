import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import { assertDomainName, assertPoolName, assertRemotePath, assertVolumeName, quoteArg, quoteCommand } from "@/lib/ssh/quote";

// Proof by a real shell: a quoted command is run by dash and bash through `sh -c`, and a helper
// prints the argv it received. Hostile strings must arrive byte for byte and nothing may execute.

let dir: string;
const argvOf = (out: string) => out.split("\0").slice(0, -1);
let canary: string;

const HOSTILE = () => [
  `$(touch ${canary})`,
  `\`touch ${canary}\``,
  `; touch ${canary}`,
  `&& touch ${canary} #`,
  `| touch ${canary}`,
  `'; touch ${canary}; '`,
  `"; touch ${canary}; "`,
  `line1\ntouch ${canary}`,
  "--help",
  "-rf",
  "${HOME}",
  "$HOME",
  "~root",
  "*",
  "a b\tc",
  "æøå ÆØÅ 日本語 \u202e evil",
  "ssh-ed25519 AAAAC3Nza... user@host'; rm -rf / #",
  "/var/lib/../../etc/shadow",
  "",
  "'",
  "''",
  "\\",
  "!event",
  `>${canary}`,
];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "skjold-quote-"));
  canary = path.join(dir, "canary");
  // prints each argument it received followed by a NUL (printf is a builtin: no shell interpretation)
  writeFileSync(path.join(dir, "argv-dump"), "#!/bin/sh\nprintf '%s\\0' \"$@\"\n");
  chmodSync(path.join(dir, "argv-dump"), 0o755);
});
afterAll(() => execFileSync("rm", ["-rf", dir]));

describe.each(["/bin/sh", "/bin/bash"])("quoteCommand through %s -c", (shell) => {
  it("delivers every hostile argument unchanged and runs nothing", () => {
    const args = HOSTILE();
    const out = execFileSync(shell, ["-c", quoteCommand(["argv-dump", ...args])], {
      encoding: "utf8",
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
    });
    expect(argvOf(out)).toEqual(args);
    expect(existsSync(canary)).toBe(false);
  });

  it("keeps each argument one word even when several are hostile together", () => {
    for (const a of HOSTILE()) {
      const out = execFileSync(shell, ["-c", quoteCommand(["argv-dump", a, a])], {
        encoding: "utf8",
        env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
      });
      expect(argvOf(out)).toEqual([a, a]);
    }
    expect(existsSync(canary)).toBe(false);
  });
});

describe("quoteArg and quoteCommand refusals", () => {
  it("refuses NUL, which no shell word can carry", () => {
    expect(() => quoteArg("a\0b")).toThrow(AppError);
  });
  it("refuses a program that is not a plain command name", () => {
    for (const p of ["/bin/sh", "rm -rf", "$(id)", "-x", "", "../virsh"]) expect(() => quoteCommand([p])).toThrow(/plain command name/);
  });
  it("leaves plain words readable", () => {
    expect(quoteCommand(["virsh", "-c", "qemu:///system", "list", "--all"])).toBe("virsh -c qemu:///system list --all");
  });
});

describe("name validators", () => {
  const bad = ["", "-rf", "--pool", "a b", "a;b", "$(x)", "`x`", "a\nb", "a/b", "..", "ünï", "a\0b", "x".repeat(300)];
  it.each([
    ["domain", assertDomainName, "vm-1.web_2"],
    ["volume", assertVolumeName, "vm-1-disk.qcow2"],
    ["pool", assertPoolName, "skjold-nvme"],
  ] as const)("%s names: accepts a normal one, rejects hostile ones", (_, check, good) => {
    expect(check(good)).toBe(good);
    for (const b of bad) expect(() => check(b), JSON.stringify(b)).toThrow(AppError);
  });
  it("paths: absolute plain segments only", () => {
    expect(assertRemotePath("/var/lib/skjold-lab/pool/a.qcow2")).toBe("/var/lib/skjold-lab/pool/a.qcow2");
    for (const b of ["relative/p", "/a/../etc", "/a/./b", "/a b", "/a;b", "/$(x)", "/a\nb", "-x", "/a/*", "/ä"])
      expect(() => assertRemotePath(b), b).toThrow(AppError);
  });
});
