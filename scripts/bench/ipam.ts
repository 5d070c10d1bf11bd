// Address allocation under contention: `npx tsx scripts/bench/ipam.ts`.
// 200 VMs ask for their IPv4 address and IPv6 /64 at once, on the embedded database (PGlite, one
// client: one process) and on PostgreSQL (a throw-away database on SKJOLD_BENCH_PG_URL, default the
// local server; half the requests through each of two clients, as two portals would). The baseline,
// measured in the same run on the same database, is 200 concurrent transactions that write the same
// rows (two lease upserts, two address events) with the addresses decided in advance: no pool lock,
// no search for a free unit. A duplicate is a unit handed to two VMs; it must be 0.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { openDatabase, type Database } from "@/lib/db/connect";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { makeVms } from "@/tests/helpers/factories";
import { addPool, allocate, makeNetworkWorld, type NetworkWorld } from "@/tests/helpers/network-fixtures";

const ADMIN_URL = process.env.SKJOLD_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const VMS = 200;
const ROUNDS = Number(process.env.SKJOLD_BENCH_ROUNDS ?? 2);

type Vm = Parameters<typeof allocate>[1]["vm"];

async function vmsOn(prisma: PrismaClient, world: NetworkWorld, host: NetworkWorld["hosts"]["routed"], prefix: string): Promise<Vm[]> {
  const rows = await makeVms(prisma, { teamId: world.team.id, regionId: host.regionId, hostId: host.id, count: VMS, prefix });
  return rows.map((v) => ({ id: v.id, name: v.name, teamId: world.team.id, teamSlug: world.team.slug }));
}

/** The same rows an allocation writes, addresses known in advance, each VM in its own transaction. */
async function plainInserts(clients: PrismaClient[], world: NetworkWorld, pools: { v4: string; v6: string }, vms: Vm[], offset: number) {
  await Promise.all(
    vms.map((vm, i) =>
      clients[i % clients.length]!.$transaction(
        async (tx) => {
          const n = offset + i + 1;
          for (const [poolId, family, address, prefixLen] of [
            [pools.v4, "IPV4", `192.0.${2 + (n >> 8)}.${n & 255}`, 32],
            [pools.v6, "IPV6", `2001:db8:1400:${n.toString(16)}::`, 64],
          ] as const) {
            const lease = { vmId: vm.id, assignedAt: new Date(), releasedAt: null, quarantineUntil: null };
            await tx.ipLease.upsert({
              where: { poolId_address: { poolId, address } },
              create: { poolId, address, ...lease },
              update: lease,
            });
            await tx.addressEvent.create({
              data: {
                action: "ASSIGN",
                poolId,
                family,
                address,
                prefixLen,
                vmId: vm.id,
                vmName: vm.name,
                teamId: vm.teamId,
                teamSlug: vm.teamSlug,
                regionCode: "bgo1",
                hostName: world.hosts.routedBergen.name,
              },
            });
          }
        },
        { maxWait: 120_000, timeout: 120_000 },
      ),
    ),
  );
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

async function bench(label: string, db: Database, second?: Database): Promise<void> {
  const clients = [db.prisma, second?.prisma ?? db.prisma];
  const world = await makeNetworkWorld(db.prisma);
  const routed = { family: "IPV4", kind: "routed" } as const;
  await addPool(db.prisma, world, { ...routed, name: "bench-v4", hostName: "routed-a", cidr: "203.0.112.0/23" });
  await addPool(db.prisma, world, { ...routed, name: "bench-v6", family: "IPV6", hostName: "routed-a", cidr: "2001:db8:1300::/48" });
  const base = {
    v4: (await addPool(db.prisma, world, { ...routed, name: "base-v4", regionCode: "bgo1", hostName: "routed-b", cidr: "192.0.2.0/23" }))
      .id,
    v6: (
      await addPool(db.prisma, world, {
        ...routed,
        name: "base-v6",
        family: "IPV6",
        regionCode: "bgo1",
        hostName: "routed-b",
        cidr: "2001:db8:1400::/48",
      })
    ).id,
  };
  console.log(`${label}:`);
  for (let round = 1; round <= ROUNDS; round++) {
    const baseVms = await vmsOn(db.prisma, world, world.hosts.routedBergen, `base-r${round}`);
    const burstVms = await vmsOn(db.prisma, world, world.hosts.routed, `burst-r${round}`);
    const baseline = await timed(() => plainInserts(clients, world, base, baseVms, (round - 1) * VMS));
    let results: Awaited<ReturnType<typeof allocate>>[] = [];
    const allocation = await timed(async () => {
      results = await Promise.all(burstVms.map((vm, i) => allocate(clients[i % 2]!, { vm, host: world.hosts.routed })));
    });
    const v4 = results.map((r) => r.ipv4);
    const v6 = results.map((r) => r.ipv6Prefix);
    const duplicates = v4.length - new Set(v4).size + (v6.length - new Set(v6).size);
    const doubleLeases = await db.prisma.ipLease.groupBy({
      by: ["poolId", "address"],
      _count: { _all: true },
      having: { address: { _count: { gt: 1 } } },
    });
    console.log(
      `  round ${round}: ${VMS} allocations in ${allocation.toFixed(2)} s = ${(VMS / allocation).toFixed(0)}/s; ` +
        `baseline ${VMS} plain inserts ${baseline.toFixed(2)} s = ${(VMS / baseline).toFixed(0)}/s; ` +
        `allocation takes ${(allocation / baseline).toFixed(2)}x the baseline; duplicates ${duplicates + doubleLeases.length}`,
    );
    if (duplicates + doubleLeases.length > 0) process.exitCode = 1;
  }
}

async function main(): Promise<void> {
  const embedded = await openDatabase({ kind: "embedded" });
  try {
    await bench("embedded (PGlite, one client)", embedded);
  } finally {
    await embedded.close();
  }
  const name = `skjold_bench_ipam_${randomBytes(5).toString("hex")}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
  const first = await openDatabase({ kind: "postgres", url, poolSize: 5 });
  const second = await openDatabase({ kind: "postgres", url, poolSize: 5 });
  try {
    await bench("PostgreSQL (two clients of 5 connections, as two portals)", first, second);
  } finally {
    await second.close();
    await first.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
