// Clone-volume benchmark on the lab host (scripts/lab-host up && scripts/build-guest-image first).
//   npx tsx scripts/bench/clone-volume.ts [--runs 5]
// Times createCloneVolume (copy-on-write qcow2 over the base image) for 10, 50 and 200 GiB virtual
// size through the pooled SSH connection, and, as the baseline of the same run, a full copy of the
// base image (virsh vol-clone) and one bare virsh round trip. Flat clone times (largest/smallest ≈ 1)
// mean no data is copied.
import { runVirsh } from "@/lib/libvirt/virsh";
import { createCloneVolume, deleteVolume } from "@/lib/libvirt/volumes";
import { createSshPool } from "@/lib/ssh/pool";
import { getLab } from "@/tests/helpers/lab";

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 5;
const lab = getLab();
const pool = createSshPool();
const ctx = { pool, target: lab.target, storagePool: lab.pool };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

await runVirsh({ ...ctx, args: ["version"], step: "warm up" });
const trips: number[] = [];
for (let i = 0; i < runs; i++) trips.push(await timed(() => runVirsh({ ...ctx, args: ["pool-info", lab.pool], step: "bench" })));
const roundTrip = median(trips);

const rows: Array<{ label: string; ms: number; commands: number }> = [];
for (const gib of [10, 50, 200]) {
  const times: number[] = [];
  let commands = 0;
  for (let i = 0; i < runs; i++) {
    const name = `bench-clone-${gib}g-${i}.qcow2`;
    const before = pool.stats().commandsRun;
    times.push(await timed(() => createCloneVolume({ ...ctx, baseVolume: lab.image.volume, name, capacityBytes: gib * 2 ** 30 })));
    commands = pool.stats().commandsRun - before;
    await deleteVolume({ ...ctx, volume: name });
  }
  rows.push({ label: `clone ${gib} GiB`, ms: median(times), commands });
}

const fullCopy = await timed(() =>
  runVirsh({
    ...ctx,
    args: ["vol-clone", "--pool", lab.pool, lab.image.volume, "bench-full-copy.qcow2"],
    step: "bench",
    timeoutMs: 600_000,
  }),
);
const copied = (
  await runVirsh({ ...ctx, args: ["vol-info", "--bytes", "--pool", lab.pool, "bench-full-copy.qcow2"], step: "bench" })
).stdout.match(/Allocation:\s+(\d+)/)?.[1];
await deleteVolume({ ...ctx, volume: "bench-full-copy.qcow2" });
await pool.close();

const smallest = rows[0]!.ms;
console.log(`runs per size: ${runs} (median); one virsh round trip: ${roundTrip.toFixed(0)} ms`);
for (const r of rows)
  console.log(
    `${r.label.padEnd(16)} ${r.ms.toFixed(0).padStart(6)} ms  ${(r.ms / smallest).toFixed(2)}x of 10 GiB  ${(r.ms / roundTrip).toFixed(1)}x a round trip  ${r.commands} SSH commands`,
  );
console.log(
  `full copy (virsh vol-clone of ${lab.image.volume}, ${(Number(copied) / 2 ** 20).toFixed(0)} MiB allocated) ${fullCopy.toFixed(0)} ms = ${(fullCopy / smallest).toFixed(1)}x a CoW clone`,
);
console.log(`ratio largest/smallest: ${(rows[2]!.ms / smallest).toFixed(2)}`);
