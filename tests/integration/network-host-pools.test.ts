import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import type { Database } from "@/lib/db/connect";
import { removeHost, setHostNetwork } from "@/lib/hosts";
import { deleteIpPool } from "@/lib/network/delete-ip-pool";
import { DB_KINDS, freshDatabase } from "@/tests/helpers/db";
import { addPool, makeNetworkWorld, type NetworkWorld } from "@/tests/helpers/network-fixtures";

// A routed host owns the pools routed to it: removing it, or switching it away from ROUTED, is
// refused in words (409, not a foreign-key 500) until its pools are deleted; nothing changes meanwhile.

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe.each(DB_KINDS)("a host that owns routed pools (%s)", (kind) => {
  let db: Database;
  let world: NetworkWorld;
  const poolIds: string[] = [];

  beforeAll(async () => {
    db = await freshDatabase(kind);
    world = await makeNetworkWorld(db.prisma);
    // The key counts as confirmed, so that a switch to the lab mode needs no SSH once it is allowed.
    await db.prisma.host.update({ where: { id: world.hosts.routed.id }, data: { hostKeyFingerprint: "SHA256:test" } });
    for (const input of [
      { name: "osl-a-v4", family: "IPV4", kind: "routed", hostName: "routed-a", cidr: "203.0.113.128/26" },
      { name: "osl-a-v6", family: "IPV6", kind: "routed", hostName: "routed-a", cidr: "2001:db8:1100::/56" },
    ])
      poolIds.push((await addPool(db.prisma, world, input)).id);
  });
  afterAll(async () => db?.close());

  it("refuses to remove it, naming its pools, and keeps the host and the pools", async () => {
    const err = await refusal(removeHost({ prisma: db.prisma, principal: world.admin, hostId: world.hosts.routed.id }));
    expect(err.status).toBe(409);
    expect(err.message).toBe(
      "routed-a still owns 2 routed address pools: osl-a-v4 (203.0.113.128/26), osl-a-v6 (2001:db8:1100::/56). Delete them under Admin → Networks first (a pool waits until no VM holds its addresses and their quarantine has ended).",
    );
    expect(await db.prisma.host.count({ where: { id: world.hosts.routed.id } })).toBe(1);
    expect(await db.prisma.ipPool.count({ where: { hostId: world.hosts.routed.id } })).toBe(2);
    expect(await db.prisma.auditEvent.count({ where: { action: "host.remove" } })).toBe(0);
  });

  it("refuses to switch it away from ROUTED, naming the field, and keeps its mode", async () => {
    for (const input of [{ networkMode: "BRIDGED", bridge: "br0" }, { networkMode: "USER_FORWARD" }]) {
      const err = await refusal(setHostNetwork({ prisma: db.prisma, principal: world.admin, hostId: world.hosts.routed.id, input }));
      expect(err.status).toBe(409);
      expect(err.message).toMatch(
        /^Host network: networkMode: routed-a still owns 2 routed address pools: osl-a-v4 \(203\.0\.113\.128\/26\), /,
      );
      expect(err.details).toEqual([{ path: "networkMode", message: expect.stringContaining("before it stops routing") }]);
    }
    const host = await db.prisma.host.findUniqueOrThrow({ where: { id: world.hosts.routed.id } });
    expect(host.networkMode).toBe("ROUTED");
    expect(await db.prisma.auditEvent.count({ where: { action: "host.network" } })).toBe(0);
  });

  it("allows both once the pools are deleted", async () => {
    for (const id of poolIds) await deleteIpPool({ prisma: db.prisma, principal: world.admin, id });
    const lab = await setHostNetwork({
      prisma: db.prisma,
      principal: world.admin,
      hostId: world.hosts.routed.id,
      input: { networkMode: "USER_FORWARD" },
    });
    expect(lab.networkMode).toBe("USER_FORWARD");
    expect(await removeHost({ prisma: db.prisma, principal: world.admin, hostId: world.hosts.routed.id })).toEqual({ removed: "routed-a" });
  });
});
