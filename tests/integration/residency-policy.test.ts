import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connect";
import { seedDatabase } from "@/lib/db/seed";
import {
  changeResidencyPolicy,
  changeTeamResidencyPolicy,
  closeDataLocations,
  getTeamResidencyPolicy,
  recordDataLocation,
  verifyLedger,
} from "@/lib/residency";
import { DB_KINDS, freshDatabase } from "../helpers/db";
import { makeTeam, makeUser } from "../helpers/factories";

const actor = { label: "owner@alfa.example" };

describe.each(DB_KINDS)("residency policy changes and concurrent appends on %s", (kind) => {
  let db: Database;
  let teamId: string;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    await seedDatabase(db.prisma, { adminPassword: "residency-test-pass" });
    teamId = (await db.prisma.team.create({ data: { slug: "alfa", name: "Alfa AS", residencyPolicy: "EEA" } })).id;
    const [plan, image, fra] = await Promise.all([
      db.prisma.plan.findFirstOrThrow(),
      db.prisma.image.findFirstOrThrow(),
      db.prisma.region.findUniqueOrThrow({ where: { code: "fra1" } }),
    ]);
    await db.prisma.virtualMachine.create({
      data: {
        teamId,
        name: "db1",
        regionId: fra.id,
        planId: plan.id,
        imageId: image.id,
        vcpus: 1,
        memoryMb: 512,
        diskGb: 10,
        domainName: "skjold-db1",
        state: "RUNNING",
      },
    });
    await recordDataLocation({
      prisma: db.prisma,
      teamId,
      resourceKind: "BACKUP",
      resourceId: "bk-1",
      resourceName: "web1-nightly",
      regionCode: "bgo1",
      hostName: "bgo-h1",
    });
  });
  afterAll(async () => db?.close());

  it("refuses a policy that live resources would violate, listing them, and changes nothing", async () => {
    const refusal = changeResidencyPolicy({ prisma: db.prisma, teamId, policy: "NORWAY_ONLY", actor });
    await expect(refusal).rejects.toMatchObject({
      code: "POLICY_VIOLATION",
      details: { violations: [{ type: "vm", name: "db1", regionCode: "fra1" }] },
    });
    await expect(changeResidencyPolicy({ prisma: db.prisma, teamId, policy: "EU", actor })).rejects.toThrow(
      /web1-nightly \(BACKUP\) in bgo1/,
    );
    expect((await db.prisma.team.findUniqueOrThrow({ where: { id: teamId } })).residencyPolicy).toBe("EEA");
  });

  it("allows the change once the resources are gone, and audits it", async () => {
    await db.prisma.virtualMachine.updateMany({ where: { teamId }, data: { state: "DELETED" } });
    await expect(changeResidencyPolicy({ prisma: db.prisma, teamId, policy: "EU", actor })).rejects.toThrow(/web1-nightly/);
    await closeDataLocations({ prisma: db.prisma, resourceId: "bk-1" });
    expect(await changeResidencyPolicy({ prisma: db.prisma, teamId, policy: "NORWAY_ONLY", actor })).toEqual({
      policy: "NORWAY_ONLY",
      changed: true,
    });
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "team.residency_policy.change" } });
    expect(audit).toMatchObject({ teamId, actorLabel: actor.label, details: { from: "EEA", to: "NORWAY_ONLY" } });
  });

  it("keeps one linear chain when many writers append at once", async () => {
    const before = await db.prisma.dataLocation.count();
    await Promise.all(
      Array.from({ length: 24 }, (_, n) =>
        recordDataLocation({
          prisma: db.prisma,
          teamId,
          resourceKind: "VM_DISK",
          resourceId: `vm-${n}`,
          resourceName: `node${n}`,
          regionCode: "osl1",
          hostName: `osl-h${n % 3}`,
        }),
      ),
    );
    const result = await verifyLedger({ prisma: db.prisma });
    expect(result).toMatchObject({ ok: true, count: before + 24 });
  });

  it("rejects input that would make the canonical form ambiguous", async () => {
    await expect(
      recordDataLocation({ prisma: db.prisma, teamId, resourceKind: "VM_DISK", resourceId: "x", resourceName: "a\nb", regionCode: "osl1" }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(
      recordDataLocation({
        prisma: db.prisma,
        teamId,
        resourceKind: "VM_DISK",
        resourceId: "x",
        resourceName: "ok",
        regionCode: "nowhere",
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("lets any member read the policy and only an owner change it, audited with where the request came from", async () => {
    const [{ principal: owner }, { principal: viewer }, { principal: outsider }] = await Promise.all([
      makeUser(db.prisma),
      makeUser(db.prisma),
      makeUser(db.prisma),
    ]);
    await db.prisma.membership.createMany({
      data: [
        { teamId, userId: owner.userId, role: "OWNER" },
        { teamId, userId: viewer.userId, role: "VIEWER" },
      ],
    });
    await makeTeam(db.prisma, [{ userId: outsider.userId, role: "OWNER" }]);
    const read = (principal: typeof owner) => getTeamResidencyPolicy({ prisma: db.prisma, principal, teamSlug: "alfa" });
    expect(await read(viewer)).toMatchObject({
      policy: "NORWAY_ONLY",
      label: "Norway only",
      allowedRegions: [{ code: "bgo1" }, { code: "osl1" }],
    });
    await expect(read(outsider)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const change = (principal: typeof owner, input: unknown, meta?: object) =>
      changeTeamResidencyPolicy({ prisma: db.prisma, principal, teamSlug: "alfa", input, meta });
    await expect(change(outsider, { policy: "EEA" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(change(viewer, { policy: "EEA" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(change(owner, { policy: "EEA", extra: 1 })).rejects.toMatchObject({ code: "VALIDATION" });
    const meta = { ip: "198.51.100.4", userAgent: "policy-test", correlationId: "policy-1" };
    expect(await change(owner, { policy: "EEA" }, meta)).toMatchObject({
      policy: "EEA",
      changed: true,
      label: expect.stringMatching(/^EEA only/),
    });
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "team.residency_policy.change" },
      orderBy: { at: "desc" },
    });
    expect(audit).toMatchObject({
      teamId,
      actorUserId: owner.userId,
      actorLabel: owner.email,
      details: { from: "NORWAY_ONLY", to: "EEA" },
      ...meta,
    });
  });
});
