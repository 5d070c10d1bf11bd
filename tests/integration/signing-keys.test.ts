import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppError } from "@/lib/core/errors";
import type { Database } from "@/lib/db/connect";
import { addSigningKey, deleteSigningKey, listSigningKeys, signingKeyFingerprint } from "@/lib/teams/signing-keys";
import { teamSigningKeys } from "@/lib/clusters/shared/team-signing-keys";
import { DB_KINDS, freshDatabase } from "@/tests/helpers/db";
import { makeTeam, makeUser } from "@/tests/helpers/factories";

// A team's image signing keys (the trust anchors of its clusters' admission gate): owners only,
// canonical keys stored, audited, and each change re-applies the policy on the team's ready clusters.

const refusal = async (p: Promise<unknown>) =>
  (await p.then(
    () => null,
    (e: unknown) => e,
  )) as AppError;
const ecKey = () => generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const pem = (k: ReturnType<typeof ecKey>) => String(k.publicKey.export({ type: "spki", format: "pem" }));

describe.each(DB_KINDS)("image signing keys (%s)", (kind) => {
  let db: Database;
  let owner: Awaited<ReturnType<typeof makeUser>>;
  let member: Awaited<ReturnType<typeof makeUser>>;
  let viewer: Awaited<ReturnType<typeof makeUser>>;
  let team: Awaited<ReturnType<typeof makeTeam>>;
  let readyClusterId: string;
  const key1 = ecKey();

  beforeAll(async () => {
    db = await freshDatabase(kind);
    [owner, member, viewer] = [await makeUser(db.prisma), await makeUser(db.prisma), await makeUser(db.prisma)];
    team = await makeTeam(db.prisma, [
      { userId: owner.user.id, role: "OWNER" },
      { userId: member.user.id, role: "MEMBER" },
      { userId: viewer.user.id, role: "VIEWER" },
    ]);
    const region = await db.prisma.region.create({
      data: { code: "osl9", name: "Oslo 9", city: "Oslo", country: "NO", jurisdiction: "NO_EEA" },
    });
    readyClusterId = (
      await db.prisma.cluster.create({
        data: { teamId: team.id, name: "ready", regionId: region.id, k3sVersion: "v1.31.4+k3s1", state: "READY" },
      })
    ).id;
    await db.prisma.cluster.create({
      data: { teamId: team.id, name: "failed", regionId: region.id, k3sVersion: "v1.31.4+k3s1", state: "FAILED" },
    });
  });
  afterAll(async () => db?.close());
  const ctx = (who: { principal: Awaited<ReturnType<typeof makeUser>>["principal"] }) => ({
    prisma: db.prisma,
    principal: who.principal,
    teamSlug: team.slug,
  });

  it("an owner registers a key: stored canonical with its fingerprint, audited, ready clusters re-converged", async () => {
    const messy = `\n\n${pem(key1).replace(/\n/g, "\r\n")}  \n`;
    const added = await addSigningKey({ ...ctx(owner), input: { name: "ci", publicKey: messy } });
    expect(added).toMatchObject({
      name: "ci",
      keyType: "ECDSA P-256",
      publicKey: pem(key1).trim(),
      fingerprint: signingKeyFingerprint(pem(key1)),
      clustersUpdated: 1,
    });
    expect(added.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(await teamSigningKeys(db.prisma, team.id)).toEqual([pem(key1).trim()]);
    expect(await db.prisma.auditEvent.count({ where: { action: "team.signing_key.add", targetId: added.id } })).toBe(1);
    const jobs = await db.prisma.job.findMany({ where: { kind: "cluster.provision", teamId: team.id } });
    expect(jobs.map((j) => j.clusterId)).toEqual([readyClusterId]); // not the failed one
    // A second change while that run is still queued does not pile up another run.
    const key2 = await addSigningKey({ ...ctx(owner), input: { name: "rotation", publicKey: pem(ecKey()) } });
    expect(await db.prisma.job.count({ where: { kind: "cluster.provision", teamId: team.id } })).toBe(1);
    expect((await listSigningKeys({ ...ctx(viewer), page: { limit: 50 } })).items.map((k) => k.name)).toEqual(["ci", "rotation"]);
    // Once that run is under way (it may have read the old keys), the next change queues a run after it, not beside it.
    await db.prisma.job.updateMany({ where: { id: jobs[0]!.id }, data: { state: "RUNNING" } });
    const before = Date.now();
    expect(await deleteSigningKey({ ...ctx(owner), keyId: key2.id })).toEqual({ clustersUpdated: 1 });
    const next = await db.prisma.job.findFirstOrThrow({ where: { kind: "cluster.provision", teamId: team.id, state: "QUEUED" } });
    expect(next.runAt.getTime()).toBeGreaterThanOrEqual(before + 4 * 60_000);
  });

  it("refuses members, viewers and outsiders, and bad keys with a readable reason; nothing is stored", async () => {
    const before = await db.prisma.imageSigningKey.count();
    expect((await refusal(addSigningKey({ ...ctx(member), input: { name: "m", publicKey: pem(ecKey()) } }))).code).toBe("FORBIDDEN");
    expect((await refusal(addSigningKey({ ...ctx(viewer), input: { name: "v", publicKey: pem(ecKey()) } }))).code).toBe("FORBIDDEN");
    const outsider = await makeUser(db.prisma);
    expect((await refusal(listSigningKeys({ ...ctx(outsider), page: { limit: 50 } }))).code).toBe("NOT_FOUND");
    const priv = String(key1.privateKey.export({ type: "pkcs8", format: "pem" }));
    expect(await refusal(addSigningKey({ ...ctx(owner), input: { name: "oops", publicKey: priv } }))).toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/private key: paste only the public key/),
    });
    expect((await refusal(addSigningKey({ ...ctx(owner), input: { name: "junk", publicKey: "hello" } }))).message).toMatch(
      /one PEM public key/,
    );
    expect((await refusal(addSigningKey({ ...ctx(owner), input: { name: "again", publicKey: pem(key1) } }))).message).toMatch(
      /already registered for the team as "ci"/,
    );
    expect((await refusal(addSigningKey({ ...ctx(owner), input: { name: "ci", publicKey: pem(ecKey()) } }))).message).toMatch(
      /already has a signing key named "ci"/,
    );
    expect((await refusal(addSigningKey({ ...ctx(owner), input: { name: "x".repeat(61), publicKey: pem(ecKey()) } }))).code).toBe(
      "VALIDATION",
    );
    expect((await refusal(addSigningKey({ ...ctx(owner), input: { name: "extra", publicKey: pem(ecKey()), admin: true } }))).code).toBe(
      "VALIDATION",
    );
    expect(await db.prisma.imageSigningKey.count()).toBe(before);
  });

  it("keeps at most five keys, and a removal is audited and cannot cross teams", async () => {
    for (let i = 2; i <= 5; i++) await addSigningKey({ ...ctx(owner), input: { name: `k${i}`, publicKey: pem(ecKey()) } });
    expect((await refusal(addSigningKey({ ...ctx(owner), input: { name: "k6", publicKey: pem(ecKey()) } }))).code).toBe("QUOTA_EXCEEDED");
    const other = await makeUser(db.prisma);
    const otherTeam = await makeTeam(db.prisma, [{ userId: other.user.id, role: "OWNER" }]);
    const [k] = (await listSigningKeys({ ...ctx(owner), page: { limit: 50 } })).items;
    expect(
      (await refusal(deleteSigningKey({ prisma: db.prisma, principal: other.principal, teamSlug: otherTeam.slug, keyId: k!.id }))).code,
    ).toBe("NOT_FOUND");
    expect((await refusal(deleteSigningKey({ ...ctx(owner), keyId: "not-a-uuid" }))).code).toBe("NOT_FOUND");
    await deleteSigningKey({ ...ctx(owner), keyId: k!.id });
    expect(await db.prisma.auditEvent.count({ where: { action: "team.signing_key.delete", targetId: k!.id } })).toBe(1);
    expect((await listSigningKeys({ ...ctx(owner), page: { limit: 50 } })).items.map((x) => x.name)).toEqual(["k2", "k3", "k4", "k5"]);
  });
});
