import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import { defineAndStartDomain } from "@/lib/libvirt/domains";
import { createCloneVolume, createSeedVolume } from "@/lib/libvirt/volumes";
import type { SshPool } from "@/lib/ssh/pool";
import { quoteCommand } from "@/lib/ssh/quote";

// lib/libvirt's one-round-trip host scripts, run by this machine's own sh exactly as the host's sh
// gets them (the argv quoted by quote.ts into one command line), against a stand-in virsh over a
// directory (tests/helpers/fake-virsh.sh) and the real cloud-localds. The failure paths a real
// libvirt rarely shows on demand: a create that fails part-way, an upload that comes back short,
// a domain that will not start, a step that runs again.

let dir: string;
let commands = 0;
const pool: SshPool = {
  async exec(opts) {
    commands++;
    const r = spawnSync("sh", ["-c", quoteCommand(opts.argv)], {
      input: opts.stdin,
      encoding: "utf8",
      env: { ...process.env, PATH: `${dir}/bin:${process.env.PATH}`, FAKE_VIRSH_DIR: dir },
    });
    return { stdout: r.stdout, stderr: r.stderr, code: r.status };
  },
  connection: () => Promise.reject(new Error("not here")),
  lease: () => Promise.reject(new Error("not here")),
  stats: () => ({ connectsOpened: 0, commandsRun: commands, open: 0 }),
  close: async () => undefined,
};
const target = { label: "fake-host", host: "127.0.0.1", port: 22, username: "x", privateKey: "x", hostKeyFingerprint: "SHA256:x" };
const ctx = () => ({ pool, target, storagePool: "fake" });
const caught = (p: Promise<unknown>) =>
  p.then(
    () => new AppError("INTERNAL", "did not fail"),
    (e: AppError) => e,
  );
const poolFile = (name: string) => `${dir}/pool/${name}`;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "skjoldfake"));
  mkdirSync(`${dir}/bin`);
  mkdirSync(`${dir}/pool`);
  symlinkSync(path.resolve("tests/helpers/fake-virsh.sh"), `${dir}/bin/virsh`);
  writeFileSync(poolFile("base.qcow2"), "base");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the clone script", () => {
  const clone = (name: string) =>
    createCloneVolume({ ...ctx(), baseVolume: "base.qcow2", basePath: poolFile("base.qcow2"), name, capacityBytes: 2 ** 30 });

  it("creates the volume in one command, and keeps it when run again", async () => {
    const before = commands;
    expect(await clone("vm-1.qcow2")).toEqual({ name: "vm-1.qcow2", path: poolFile("vm-1.qcow2"), created: true });
    expect(commands - before).toBe(1);
    expect(await clone("vm-1.qcow2")).toEqual({ name: "vm-1.qcow2", path: poolFile("vm-1.qcow2"), created: false });
    expect(existsSync(poolFile("vm-1.qcow2"))).toBe(true);
  });

  it("removes what a failed create left and says what failed", async () => {
    const err = await caught(clone("broken-1.qcow2"));
    expect(err.code).toBe("HOST_COMMAND_FAILED");
    expect(err.message).toBe(
      "fake-host: create volume broken-1.qcow2: virsh vol-create failed: cannot create broken-1.qcow2: disk on fire",
    );
    expect(existsSync(poolFile("broken-1.qcow2"))).toBe(false);
  });

  it("refuses a base image that is not where the pool says", async () => {
    const err = await caught(
      createCloneVolume({
        ...ctx(),
        baseVolume: "gone.qcow2",
        basePath: poolFile("gone.qcow2"),
        name: "vm-2.qcow2",
        capacityBytes: 2 ** 30,
      }),
    );
    expect(err.code).toBe("NOT_FOUND");
    expect(existsSync(poolFile("vm-2.qcow2"))).toBe(false);
  });
});

describe("the seed script", () => {
  const userData = '#cloud-config\nhostname: it\'s-a "test" $(reboot)\n';

  it("builds the ISO from the files it was sent, and replaces an older seed", async () => {
    const first = await createSeedVolume({
      ...ctx(),
      name: "vm-seed.img",
      userData,
      metaData: "instance-id: a\n",
      networkConfig: "version: 2\n",
    });
    expect(first.path).toBe(poolFile("vm-seed.img"));
    const read = (file: string) => execFileSync("isoinfo", ["-R", "-x", file, "-i", first.path], { encoding: "utf8" });
    expect(read("/user-data")).toBe(userData);
    expect(read("/network-config")).toBe("version: 2\n");
    const before = commands;
    await createSeedVolume({ ...ctx(), name: "vm-seed.img", userData: "#cloud-config\n", metaData: "instance-id: b\n" });
    expect(commands - before).toBe(1);
    expect(read("/meta-data")).toBe("instance-id: b\n");
    expect(execFileSync("isoinfo", ["-f", "-R", "-i", first.path], { encoding: "utf8" })).not.toContain("network-config");
  });

  it("finds a short upload by its bytes and leaves no volume", async () => {
    const err = await caught(createSeedVolume({ ...ctx(), name: "short-seed.img", userData, metaData: "instance-id: c\n" }));
    expect(err.message).toBe(
      "fake-host: build seed short-seed.img: the uploaded seed in pool fake does not match what was built (is the pool full?)",
    );
    expect(existsSync(poolFile("short-seed.img"))).toBe(false);
  });
});

describe("the define-and-start script", () => {
  const spec = (name: string) => ({ name, type: "qemu" as const, vcpus: 1, memoryMiB: 512 });

  it("defines and starts in one command; run again, it leaves the running domain running", async () => {
    const before = commands;
    expect(await defineAndStartDomain({ pool, target, spec: spec("dom-1") })).toBe("started");
    expect(commands - before).toBe(1);
    expect(await defineAndStartDomain({ pool, target, spec: spec("dom-1") })).toBe("already-running");
    expect(readFileSync(`${dir}/domains/dom-1`, "utf8").trim()).toBe("running");
  });

  it("starts paused when asked (the console is attached before it runs); run again, it leaves the paused domain as it is", async () => {
    expect(await defineAndStartDomain({ pool, target, spec: spec("dom-3"), paused: true })).toBe("started");
    expect(readFileSync(`${dir}/calls`, "utf8")).toMatch(/start --paused -- dom-3\n/);
    expect(readFileSync(`${dir}/domains/dom-3`, "utf8").trim()).toBe("paused");
    expect(await defineAndStartDomain({ pool, target, spec: spec("dom-3"), paused: true })).toBe("already-running");
    expect(readFileSync(`${dir}/calls`, "utf8")).not.toMatch(/undefine --nvram --checkpoints-metadata -- dom-3\n/);
  });

  it("defines anew and starts a domain an earlier run defined but did not start", async () => {
    mkdirSync(`${dir}/domains`, { recursive: true });
    writeFileSync(`${dir}/domains/dom-2`, "shut off\n");
    expect(await defineAndStartDomain({ pool, target, spec: spec("dom-2") })).toBe("started");
    expect(readFileSync(`${dir}/calls`, "utf8")).toMatch(/undefine --nvram --checkpoints-metadata -- dom-2\n/);
    expect(readFileSync(`${dir}/domains/dom-2`, "utf8").trim()).toBe("running");
  });

  it("reports virsh's own reason when the domain does not start", async () => {
    const err = await caught(defineAndStartDomain({ pool, target, spec: spec("nostart") }));
    expect(err.message).toBe(
      "fake-host: define and start domain nostart: virsh start failed: internal error: qemu unexpectedly closed the monitor",
    );
  });
});
