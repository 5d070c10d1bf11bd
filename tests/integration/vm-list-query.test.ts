import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/connect";
import { listVms, VM_SUMMARY } from "@/lib/vms/queries/list-vms";
import { DB_KINDS, freshDatabase } from "@/tests/helpers/db";
import { makeTeam, makeUser, makeVms } from "@/tests/helpers/factories";

// The team's VM list is one hand-written SQL query (lib/vms/queries/list-vms.ts). What it returns
// must be what Prisma's findMany with VM_SUMMARY returns for the same rows: every field, its type
// (dates as Date, enums as their names, a VM without a host as host: null), the order, and the pages.

describe.each(DB_KINDS)("the VM list query (%s)", (kind) => {
  let db: Database;
  let principal: Awaited<ReturnType<typeof makeUser>>["principal"];
  let team: { id: string; slug: string };

  beforeAll(async () => {
    db = await freshDatabase(kind);
    const owner = await makeUser(db.prisma);
    principal = owner.principal;
    team = await makeTeam(db.prisma, [{ userId: owner.user.id, role: "OWNER" }]);
    const other = await makeTeam(db.prisma, [{ userId: owner.user.id, role: "OWNER" }]);
    const region = await db.prisma.region.create({
      data: { code: "osl9", name: "Oslo 9", city: "Oslo", country: "NO", jurisdiction: "NO_EEA" },
    });
    const host = await db.prisma.host.create({
      data: { name: "list-host", regionId: region.id, address: "127.0.0.1", username: "skjold", privateKeyEnc: "x", publicKey: "y" },
    });
    const placed = await makeVms(db.prisma, { teamId: team.id, regionId: region.id, hostId: host.id, count: 40, prefix: "placed" });
    const unplaced = await makeVms(db.prisma, { teamId: team.id, regionId: region.id, count: 33, prefix: "waiting" });
    await makeVms(db.prisma, { teamId: other.id, regionId: region.id, count: 5, prefix: "other" });
    // Times that tie (createMany gives a batch one createdAt), times a millisecond apart, and every
    // nullable field filled on some rows, so the comparison sees both.
    for (const [i, vm] of placed.slice(0, 12).entries()) {
      await db.prisma.virtualMachine.update({
        where: { id: vm.id },
        data: {
          createdAt: new Date(Date.UTC(2026, 11, 7, 12, 0, 0, i)),
          state: i % 3 === 0 ? "DELETED" : "RUNNING",
          deletedAt: i % 3 === 0 ? new Date(Date.UTC(2026, 11, 7, 13, 0, 0, i)) : null,
          readyAt: new Date(Date.UTC(2026, 11, 7, 12, 30, 0, i)),
          sshHost: "192.0.2.10",
          sshPort: 22000 + i,
          ipAddress: `198.51.100.${i + 10}`,
          ipv6Address: `2001:db8:1::${i + 10}`,
          ipv6Prefix: `2001:db8:1:${i}::/64`,
          lastError: i === 1 ? "Provisioning failed: the host did not answer." : null,
        },
      });
    }
    await db.prisma.virtualMachine.update({ where: { id: unplaced[0]!.id }, data: { state: "FAILED" } });
  });
  afterAll(async () => db?.close());

  async function walk(live: boolean, limit: number) {
    const items = [];
    const cursors = [];
    let cursor: string | null = null;
    do {
      const page = await listVms({ prisma: db.prisma, principal, teamSlug: team.slug, live, page: { limit, cursor } });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      items.push(...page.items);
      cursors.push(page.nextCursor);
      cursor = page.nextCursor;
    } while (cursor);
    return { items, pages: cursors.length };
  }

  it.each([
    { live: false, limit: 7 },
    { live: false, limit: 200 },
    { live: true, limit: 10 },
  ])("returns what findMany with VM_SUMMARY returns, page by page (live: $live, limit: $limit)", async ({ live, limit }) => {
    const expected = await db.prisma.virtualMachine.findMany({
      where: { teamId: team.id, ...(live ? { state: { not: "DELETED" } } : {}) },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: VM_SUMMARY,
    });
    expect(expected.length).toBe(live ? 73 - 4 : 73);
    const { items, pages } = await walk(live, limit);
    expect(pages).toBe(Math.ceil(expected.length / limit));
    expect(items).toStrictEqual(expected);
    expect(items.some((vm) => vm.host === null) && items.some((vm) => vm.host?.name === "list-host")).toBe(true);
    expect(items.find((vm) => vm.sshPort === 22001)?.readyAt).toBeInstanceOf(Date);
  });

  it("refuses a cursor another list gave out, and a team the caller is not in", async () => {
    await expect(
      listVms({
        prisma: db.prisma,
        principal,
        teamSlug: team.slug,
        page: { limit: 5, cursor: Buffer.from('["clusters","x"]').toString("base64url") },
      }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    const stranger = await makeUser(db.prisma);
    await expect(
      listVms({ prisma: db.prisma, principal: stranger.principal, teamSlug: team.slug, page: { limit: 5 } }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
