import { existsSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import { fetchHostKey, openConnection } from "@/lib/ssh/connect";
import { HostKeyUnconfirmedError } from "@/lib/ssh/errors";
import { generateKeyPair } from "@/lib/ssh/keygen";
import { createSshPool, type SshPool } from "@/lib/ssh/pool";
import { getLab, startImpostorSshd, type Lab } from "@/tests/helpers/lab";

// Against the lab sshd on 127.0.0.1:2201 over real SSH.

let lab: Lab;
let pool: SshPool;

beforeAll(() => {
  lab = getLab();
  pool = createSshPool({ idleMs: 60_000 });
});
afterAll(() => pool.close());

async function caught(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("pooled SSH to the lab host", () => {
  it("runs commands on one reused connection", async () => {
    const before = pool.stats().connectsOpened;
    for (let i = 0; i < 5; i++) {
      const r = await pool.exec({ target: lab.target, argv: ["id", "-un"], step: "who am i" });
      expect(r.stdout.trim()).toBe("skjold-lab");
    }
    await Promise.all([1, 2, 3].map(() => pool.exec({ target: lab.target, argv: ["true"], step: "parallel" })));
    expect(pool.stats().connectsOpened - before).toBe(1);
  });

  it("passes hostile arguments to the remote shell as single words", async () => {
    const hostile = ["$(id)", "`id`", "; id", "a\nb", "'\"'", "--", "æøå", "${PATH}"];
    const r = await pool.exec({ target: lab.target, argv: ["printf", "%s|", ...hostile], step: "echo args" });
    expect(r.stdout).toBe(hostile.map((h) => `${h}|`).join(""));
  });

  it("reconnects when the connection drops", async () => {
    const ssh = await pool.connection(lab.target, "test");
    const before = pool.stats().connectsOpened;
    ssh.connection?.end();
    await new Promise((r) => setTimeout(r, 200));
    const r = await pool.exec({ target: lab.target, argv: ["echo", "back"], step: "after drop" });
    expect(r.stdout.trim()).toBe("back");
    expect(pool.stats().connectsOpened - before).toBe(1);
  });

  it("closes idle connections", async () => {
    const short = createSshPool({ idleMs: 150 });
    await short.exec({ target: lab.target, argv: ["true"], step: "idle" });
    expect(short.stats().open).toBe(1);
    await new Promise((r) => setTimeout(r, 600));
    expect(short.stats().open).toBe(0);
    await short.close();
  });

  it("times a command out, naming host and step", async () => {
    const err = await caught(pool.exec({ target: lab.target, argv: ["sleep", "30"], step: "slow thing", timeoutMs: 300 }));
    expect(err.code).toBe("TIMEOUT");
    expect(err.message).toMatch(/^lab-host: slow thing: `sleep` did not finish/);
    expect((await pool.exec({ target: lab.target, argv: ["true"], step: "still usable" })).code).toBe(0);
  });

  it("reports a failing command with its exit code and stderr", async () => {
    const err = await caught(pool.exec({ target: lab.target, argv: ["ls", "/nonexistent-skjold"], step: "list things" }));
    expect(err.code).toBe("HOST_COMMAND_FAILED");
    expect(err.message).toMatch(/lab-host: list things: `ls \/nonexistent-skjold` failed \(exit 2\): .*No such file/);
  });
});

describe("host keys and credentials", () => {
  it("shows the presented key of an unpinned host, matching ssh-keygen -lf on the host", async () => {
    expect(await fetchHostKey({ target: { host: lab.address, port: lab.port, username: lab.username } })).toEqual({
      fingerprint: lab.hostKeyFingerprint,
      algorithm: "ssh-ed25519",
    });
    const err = await caught(pool.exec({ target: { ...lab.target, hostKeyFingerprint: null }, argv: ["true"], step: "onboard" }));
    expect(err).toBeInstanceOf(HostKeyUnconfirmedError);
    expect((err as HostKeyUnconfirmedError).presentedFingerprint).toBe(lab.hostKeyFingerprint);
  });

  it("rejects a wrong client key with a clear message", async () => {
    const stranger = generateKeyPair();
    const err = await caught(openConnection({ target: { ...lab.target, privateKey: stranger.privateKey } }));
    expect(err.code).toBe("HOST_UNREACHABLE");
    expect(err.message).toMatch(/^lab-host: connect: the host rejected Skjold's SSH key/);
  });

  it("refuses a swapped host key with HOST_KEY_MISMATCH and runs nothing", async () => {
    const impostor = await startImpostorSshd();
    const marker = `/tmp/skjold-mitm-${process.pid}`;
    rmSync(marker, { force: true });
    try {
      const target = { ...lab.target, port: impostor.port };
      const err = await caught(pool.exec({ target, argv: ["touch", marker], step: "touch marker" }));
      expect(err.code).toBe("HOST_KEY_MISMATCH");
      expect(err.message).toContain(`lab-host: touch marker: HOST KEY CHANGED. Pinned ${lab.hostKeyFingerprint}`);
      expect(existsSync(marker)).toBe(false);
      // the impostor really would have run it for an unpinned client: the check is what stopped it
      const presented = (await fetchHostKey({ target: { host: lab.address, port: impostor.port, username: lab.username } })).fingerprint;
      expect(presented).not.toBe(lab.hostKeyFingerprint);
      await pool.exec({ target: { ...target, hostKeyFingerprint: presented }, argv: ["touch", marker], step: "control" });
      expect(existsSync(marker)).toBe(true);
    } finally {
      impostor.stop();
      rmSync(marker, { force: true });
    }
  });

  it("reports a closed port as unreachable and transient", async () => {
    const err = await caught(openConnection({ target: { ...lab.target, port: 1 } }));
    expect(err.code).toBe("HOST_UNREACHABLE");
    expect(err.transient).toBe(true);
    expect(err.message).toMatch(/^lab-host: connect: cannot connect over SSH \(ECONNREFUSED\)/);
  });
});
