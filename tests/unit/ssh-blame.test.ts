import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import { recordStepHostFailure } from "@/lib/hosts/record-host-failure";
import { blamedHost, blameTarget } from "@/lib/ssh/errors";
import type { SshTarget } from "@/lib/ssh/target";

// Which host a failed job step was meeting: the SSH pool blames the target it could not reach, a
// step may wrap that error, and a guest's failure is never its host's.

const host: SshTarget = {
  hostId: "6f1c1d2e-0000-4000-8000-000000000001",
  label: "osl-kvm-01",
  host: "192.0.2.10",
  port: 22,
  username: "skjold",
  privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----",
  hostKeyFingerprint: "SHA256:pinned",
};
const guest: SshTarget = { label: "web-1", host: "127.0.0.1", port: 22201, username: "debian", privateKey: "k", via: host };
const refused = () =>
  new AppError("HOST_UNREACHABLE", "osl-kvm-01: clone disk: cannot connect over SSH (ECONNREFUSED)", { transient: true });

describe("blaming a failure on the target it met", () => {
  it("finds the host through wrapping causes, with the key pinned when it was tried", () => {
    const inner = blameTarget(refused(), host);
    const wrapped = new AppError("TIMEOUT", "no SSH answer within 120 s", { cause: new Error("x", { cause: inner }) });
    expect(blamedHost(wrapped)).toEqual({ error: inner, hostId: host.hostId, hostKeyFingerprint: "SHA256:pinned" });
  });

  it("keeps the first target named: a jump whose host is down is the host's failure", () => {
    const err = blameTarget(blameTarget(refused(), host), guest);
    expect(blamedHost(err)?.hostId).toBe(host.hostId);
  });

  it("says nothing about a host when a guest failed or nothing was blamed, and keeps no key on the error", () => {
    expect(blamedHost(blameTarget(refused(), guest))).toBeUndefined();
    expect(blamedHost(refused())).toBeUndefined();
    expect(JSON.stringify(blameTarget(refused(), host))).not.toContain("PRIVATE KEY");
  });

  it("records nothing (and touches no database) for a failure that met no host", async () => {
    const prisma = new Proxy({}, { get: () => expect.unreachable("no database access") }) as never;
    expect(await recordStepHostFailure({ prisma, error: blameTarget(refused(), guest) })).toBeNull();
    expect(await recordStepHostFailure({ prisma, error: blameTarget(new AppError("HOST_COMMAND_FAILED", "exit 1"), host) })).toBeNull();
  });
});
