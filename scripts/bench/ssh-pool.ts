// SSH pool benchmark on the lab host (scripts/lab-host up && scripts/build-guest-image first).
//   npx tsx scripts/bench/ssh-pool.ts [--runs 30]
// 1. `listDomains` through the pooled connection vs a fresh connection each time (ratio).
// 2. SSH commands and connections each lib/libvirt operation costs (round trips; SFTP writes are
//    not commands but ride on the same connection).
import { discoverHost } from "@/lib/libvirt/discover";
import { getDomainState, listDomains } from "@/lib/libvirt/domains";
import { createCloneVolume, createSeedVolume, deleteVolume, listVolumes } from "@/lib/libvirt/volumes";
import { createSshPool, type SshPool } from "@/lib/ssh/pool";
import { getLab } from "@/tests/helpers/lab";

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 30;
const lab = getLab();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeEach(n: number, fn: () => Promise<unknown>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

const pooled = createSshPool();
await listDomains({ pool: pooled, target: lab.target }); // connect once
const pooledMs = await timeEach(runs, () => listDomains({ pool: pooled, target: lab.target }));
const freshMs = await timeEach(runs, async () => {
  const p = createSshPool();
  await listDomains({ pool: p, target: lab.target });
  await p.close();
});
console.log(
  `listDomains, median of ${runs}: pooled ${pooledMs.toFixed(1)} ms, fresh connection ${freshMs.toFixed(1)} ms, fresh/pooled ${(freshMs / pooledMs).toFixed(1)}x`,
);
console.log(`connections opened by the pooled runs: ${pooled.stats().connectsOpened}`);

async function count(label: string, pool: SshPool, fn: () => Promise<unknown>) {
  const before = pool.stats();
  const t = performance.now();
  await fn();
  const after = pool.stats();
  console.log(
    `${label.padEnd(34)} ${String(after.commandsRun - before.commandsRun).padStart(3)} commands  ${after.connectsOpened - before.connectsOpened} new connections  ${(performance.now() - t).toFixed(0).padStart(5)} ms`,
  );
}

const ctx = { pool: pooled, target: lab.target, storagePool: lab.pool };
console.log("\nround trips per operation (pooled, connection already open):");
await count("listDomains", pooled, () => listDomains(ctx));
await count("getDomainState", pooled, () => getDomainState({ ...ctx, name: "no-such-domain" }));
await count("listVolumes", pooled, () => listVolumes(ctx));
await count("createCloneVolume", pooled, () =>
  createCloneVolume({ ...ctx, baseVolume: lab.image.volume, name: "bench-rt.qcow2", capacityBytes: 2 ** 30 }),
);
await count("deleteVolume", pooled, () => deleteVolume({ ...ctx, volume: "bench-rt.qcow2" }));
await count("createSeedVolume", pooled, () =>
  createSeedVolume({ ...ctx, name: "bench-rt-seed.img", userData: "#cloud-config\n", metaData: "instance-id: b\n" }),
);
await deleteVolume({ ...ctx, volume: "bench-rt-seed.img" });
await count("discoverHost (no accelerator probe)", pooled, () => discoverHost(ctx));
await pooled.close();
