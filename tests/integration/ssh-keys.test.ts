import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/access/principal";
import type { Database } from "@/lib/db/connect";
import { addSshKey, deleteSshKey, listSshKeys } from "@/lib/users/ssh-keys";
import { DB_KINDS, freshDatabase } from "../helpers/db";
import { makeTeam, makeUser } from "../helpers/factories";

const dir = mkdtempSync(path.join(tmpdir(), "skjold-keys-"));
function keygen(name: string, args: string[]) {
  execFileSync("ssh-keygen", ["-q", "-N", "", "-C", name, "-f", path.join(dir, name), ...args]);
  return readFileSync(path.join(dir, `${name}.pub`), "utf8");
}
const ed = keygen("ed", ["-t", "ed25519"]);
const ec = keygen("ec", ["-t", "ecdsa", "-b", "384"]);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(DB_KINDS)("SSH keys on %s", (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await freshDatabase(kind);
  });
  afterAll(async () => db?.close());

  it("adds, lists with type, bits and fingerprint, and deletes a person's keys; audits both", async () => {
    const { principal } = await makeUser(db.prisma);
    const added = await addSshKey({ prisma: db.prisma, principal, input: { name: "laptop", publicKey: ed } });
    await addSshKey({ prisma: db.prisma, principal, input: { name: "  work\u0301 ", publicKey: ec } });
    const listed = (await listSshKeys({ prisma: db.prisma, principal, page: { limit: 50 } })).items;
    expect(listed.map((k) => [k.name, k.keyType, k.bits])).toEqual([
      ["laptop", "ssh-ed25519", 256],
      ["work\u0301".normalize("NFC"), "ecdsa-sha2-nistp384", 384],
    ]);
    expect(added.fingerprint).toBe(execFileSync("ssh-keygen", ["-lf", path.join(dir, "ed.pub")], { encoding: "utf8" }).split(" ")[1]);

    await deleteSshKey({ prisma: db.prisma, principal, keyId: added.id });
    expect((await listSshKeys({ prisma: db.prisma, principal, page: { limit: 50 } })).items.map((k) => k.name)).toEqual([
      "work\u0301".normalize("NFC"),
    ]);
    const audit = await db.prisma.auditEvent.findMany({ where: { actorUserId: principal.userId }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["user.ssh_key.add", "user.ssh_key.add", "user.ssh_key.delete"]);
  });

  it("refuses the same key twice and the same name twice, naming the existing key", async () => {
    const { principal } = await makeUser(db.prisma);
    await addSshKey({ prisma: db.prisma, principal, input: { name: "laptop", publicKey: ed } });
    await expect(addSshKey({ prisma: db.prisma, principal, input: { name: "again", publicKey: ed } })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining('already on your account as "laptop"'),
    });
    await expect(addSshKey({ prisma: db.prisma, principal, input: { name: "laptop", publicKey: ec } })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    // Two people may register the same public key (a shared deploy key): keys are per person.
    const other = await makeUser(db.prisma);
    await expect(
      addSshKey({ prisma: db.prisma, principal: other.principal, input: { name: "laptop", publicKey: ed } }),
    ).resolves.toMatchObject({ name: "laptop" });
  });

  it("resolves a race of two identical adds to one row and one clear conflict", async () => {
    const { principal } = await makeUser(db.prisma);
    const results = await Promise.allSettled(
      [0, 1].map(() => addSshKey({ prisma: db.prisma, principal, input: { name: "race", publicKey: ec } })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "CONFLICT" } });
    expect(await db.prisma.sshKey.count({ where: { userId: principal.userId } })).toBe(1);
  });

  it("keeps people's keys apart: someone else's key id is not found, and nothing is deleted", async () => {
    const a = await makeUser(db.prisma);
    const b = await makeUser(db.prisma);
    const key = await addSshKey({ prisma: db.prisma, principal: a.principal, input: { name: "mine", publicKey: ed } });
    await expect(deleteSshKey({ prisma: db.prisma, principal: b.principal, keyId: key.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(deleteSshKey({ prisma: db.prisma, principal: b.principal, keyId: "'; DROP TABLE x" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await listSshKeys({ prisma: db.prisma, principal: b.principal, page: { limit: 50 } })).items).toEqual([]);
    expect(await db.prisma.sshKey.count({ where: { id: key.id } })).toBe(1);
  });

  it("refuses hostile input and team API tokens, creating nothing", async () => {
    const { user, principal } = await makeUser(db.prisma);
    const team = await makeTeam(db.prisma, [{ userId: user.id, role: "OWNER" }]);
    const token: Principal = { kind: "token", tokenId: user.id, teamId: team.id, role: "OWNER", userId: user.id, label: "ci" };
    await expect(addSshKey({ prisma: db.prisma, principal: token, input: { name: "x", publicKey: ed } })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(deleteSshKey({ prisma: db.prisma, principal: token, keyId: user.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    for (const input of [
      { name: "x", publicKey: readFileSync(path.join(dir, "ed"), "utf8") },
      { name: "\u202Egnp.exe", publicKey: ed },
      { name: "", publicKey: ed },
      { name: "x".repeat(61), publicKey: ed },
      { name: "x", publicKey: "A".repeat(100_000) },
      { name: ["x"], publicKey: ed },
      null,
    ]) {
      await expect(addSshKey({ prisma: db.prisma, principal, input })).rejects.toMatchObject({ code: "VALIDATION" });
    }
    expect(await db.prisma.sshKey.count({ where: { userId: user.id } })).toBe(0);
  });

  it("lets a team token list its creator's keys (an order through that token may use them), nobody else's", async () => {
    const { user, principal } = await makeUser(db.prisma);
    const other = await makeUser(db.prisma);
    await addSshKey({ prisma: db.prisma, principal, input: { name: "ci", publicKey: ed } });
    await addSshKey({ prisma: db.prisma, principal: other.principal, input: { name: "theirs", publicKey: ec } });
    const team = await makeTeam(db.prisma, [{ userId: user.id, role: "MEMBER" }]);
    const token: Principal = { kind: "token", tokenId: user.id, teamId: team.id, role: "MEMBER", userId: user.id, label: "ci" };
    expect((await listSshKeys({ prisma: db.prisma, principal: token, page: { limit: 50 } })).items.map((k) => k.name)).toEqual(["ci"]);
  });
});
