import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import type { Database } from "@/lib/db/connect";
import { createLatencyTarget, deleteLatencyTarget, updateLatencyTarget } from "@/lib/latency";
import { DB_KINDS, freshDatabase } from "../helpers/db";
import { makeHost, makeRegion } from "../helpers/netns-latency-data";

const nix = { exchange: "NIX Oslo", name: "route-server-1", address: "198.51.100.7" };

describe.each(DB_KINDS)("latency targets on %s", (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await freshDatabase(kind);
  });
  afterAll(async () => db?.close());

  it("creates a target with ICMP defaults and maps the method onto its flags", async () => {
    const t = await createLatencyTarget({ prisma: db.prisma, input: nix });
    expect(t).toMatchObject({ ...nix, icmp: true, tcp: false, count: 5, intervalSec: 300, enabled: true, port: null });
    const both = await createLatencyTarget({
      prisma: db.prisma,
      input: { exchange: "BIX Bergen", name: "lg", address: "lg.example.net", port: 443, method: "both" },
    });
    expect(both).toMatchObject({ icmp: true, tcp: true, port: 443 });
  });

  it("refuses a duplicate name per exchange, a TCP probe without port, and addresses a shell or ping could misread", async () => {
    await expect(createLatencyTarget({ prisma: db.prisma, input: nix })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(createLatencyTarget({ prisma: db.prisma, input: { ...nix, name: "x", method: "tcp" } })).rejects.toThrow(
      /port: a TCP probe needs a port/,
    );
    for (const address of ["-f 127.0.0.1", "$(reboot)", "a;b", "198.51.100.1 -s 65000", "'x'", "host\nname", ""]) {
      const err = await createLatencyTarget({ prisma: db.prisma, input: { ...nix, name: "bad", address } }).catch((e: unknown) => e);
      expect(err, address).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("VALIDATION");
    }
    await expect(createLatencyTarget({ prisma: db.prisma, input: { ...nix, name: "fast", count: 500 } })).rejects.toThrow(/count/);
  });

  it("updates fields and checks the merged target", async () => {
    const t = await createLatencyTarget({ prisma: db.prisma, input: { ...nix, name: "upd" } });
    await expect(updateLatencyTarget({ prisma: db.prisma, id: t.id, input: { method: "tcp" } })).rejects.toThrow(/needs a port/);
    const u = await updateLatencyTarget({ prisma: db.prisma, id: t.id, input: { method: "tcp", port: 179, intervalSec: 60 } });
    expect(u).toMatchObject({ icmp: false, tcp: true, port: 179, intervalSec: 60, address: nix.address });
    await expect(updateLatencyTarget({ prisma: db.prisma, id: t.id, input: { name: "route-server-1" } })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(updateLatencyTarget({ prisma: db.prisma, id: "not-a-uuid", input: { count: 3 } })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("deletes a target with its samples and roll-ups", async () => {
    const { prisma } = db;
    const region = await makeRegion(prisma, "osl1");
    const host = await makeHost(prisma, { name: "h1", regionId: region.id });
    const t = await createLatencyTarget({ prisma, input: { ...nix, name: "gone" } });
    const keep = await createLatencyTarget({ prisma, input: { ...nix, name: "kept" } });
    for (const target of [t, keep]) {
      const ids = { hostId: host.id, regionId: region.id, targetId: target.id, method: "ICMP" as const };
      await prisma.latencySample.create({ data: { ...ids, sent: 1, received: 1, rttsMs: [1.5], medianMs: 1.5 } });
      await prisma.latencyRollup.create({
        data: { ...ids, hour: new Date("2026-01-01T00:00:00Z"), samples: 1, sent: 1, received: 1, medianMs: 1.5 },
      });
    }
    await deleteLatencyTarget({ prisma, id: t.id });
    expect(await prisma.latencySample.count({ where: { targetId: t.id } })).toBe(0);
    expect(await prisma.latencyRollup.count({ where: { targetId: t.id } })).toBe(0);
    expect(await prisma.latencyRollup.count({ where: { targetId: keep.id } })).toBe(1);
    await expect(deleteLatencyTarget({ prisma, id: t.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
