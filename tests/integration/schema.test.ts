import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connect";
import { applyMigrations } from "@/lib/db/migrate";
import { seedDatabase, SEED_PLANS, SEED_REGIONS } from "@/lib/db/seed";
import { DB_KINDS, freshDatabase } from "../helpers/db";

// Every model is read through Prisma after the migrations ran: Prisma selects every column it knows,
// so a migration that drifted from schema.prisma (a missing column, a wrong type) fails here.
const MODELS = [
  "user",
  "team",
  "membership",
  "invitation",
  "session",
  "apiToken",
  "rateLimit",
  "sshKey",
  "imageSigningKey",
  "region",
  "host",
  "storagePool",
  "image",
  "imageCopy",
  "plan",
  "ipPool",
  "ipLease",
  "addressEvent",
  "virtualMachine",
  "warmPool",
  "firewallRuleSet",
  "vmFirewallRuleSet",
  "backupTarget",
  "backup",
  "privateNetwork",
  "privateNic",
  "vmEvent",
  "cluster",
  "hardeningReport",
  "job",
  "jobStep",
  "schedule",
  "dataLocation",
  "ledgerVerification",
  "latencyTarget",
  "latencySample",
  "latencyRollup",
  "auditEvent",
  "setting",
] as const;

describe.each(DB_KINDS)("schema on %s", (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await freshDatabase(kind);
  });
  afterAll(async () => db?.close());

  it("applies migrations once and records them in Prisma's table", async () => {
    expect(await applyMigrations(db.sql)).toEqual([]);
    const rows = await db.sql.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations"`);
    expect(rows.map((r) => r.migration_name)).toContain("20261129000000_init");
  });

  it("reads every model", async () => {
    const prisma = db.prisma as unknown as Record<string, { findMany(a: object): Promise<unknown[]> }>;
    for (const model of MODELS) {
      await expect(prisma[model]!.findMany({ take: 1 }), model).resolves.toBeInstanceOf(Array);
    }
  });

  it("seeds regions, plans and one admin idempotently", async () => {
    const logs: string[] = [];
    const first = await seedDatabase(db.prisma, { log: (l) => logs.push(l), adminPassword: "correct horse battery" });
    const second = await seedDatabase(db.prisma);
    expect(first.adminCreated).toBe(true);
    expect(second.adminCreated).toBe(false);
    expect(await db.prisma.region.count()).toBe(SEED_REGIONS.length);
    expect(await db.prisma.plan.count()).toBe(SEED_PLANS.length);
    const oslo = await db.prisma.region.findUniqueOrThrow({ where: { code: "osl1" } });
    expect(oslo).toMatchObject({ country: "NO", jurisdiction: "NO_EEA" });
    expect(logs.join("\n")).not.toContain("correct horse battery");
  });

  it("keeps the audit log append-only", async () => {
    const ev = await db.prisma.auditEvent.create({ data: { actorLabel: "test", action: "test.append" } });
    await expect(db.prisma.auditEvent.update({ where: { id: ev.id }, data: { action: "x" } })).rejects.toThrow(/append-only/);
    await expect(db.prisma.auditEvent.delete({ where: { id: ev.id } })).rejects.toThrow(/append-only/);
  });
});
