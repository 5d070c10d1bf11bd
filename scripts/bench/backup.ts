// Backup benchmark on the lab host (scripts/lab-host up first; run as root, under the heavy lock):
//   flock -o /tmp/skjold-heavy.lock npx tsx scripts/bench/backup.ts [--disk-gib 10] [--data-gib 4]
// A 10 GiB qcow2 disk with 4 GiB written is attached to a domain that boots nothing (SeaBIOS finds
// no boot device and waits), so no guest OS runs. Skjold's own backup path then takes a full backup
// (libvirt backup API with a checkpoint → scratch file → VM host → this process → target pool, sha256
// read back on the target), 1 % of the disk is rewritten through qemu (HMP qemu-io, so the dirty
// bitmap sees it as a guest's write), and an incremental backup follows. Printed: bytes moved and
// time of the incremental as a ratio to the full one of the same run (issue 16's goal: ≤ 5 %).
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createSshPool } from "@/lib/ssh/pool";
import {
  assembleChain,
  beginBackup,
  copyVolume,
  copyVolumeToFile,
  makeRestoreDir,
  removeRestoreDir,
  removeVolume,
  volumeDigest,
} from "@/lib/vms/backup/host-backup";
import { getLab } from "@/tests/helpers/lab";

const arg = (name: string, dflt: number) => Number(process.argv[process.argv.indexOf(name) + 1]) || dflt;
const diskGiB = arg("--disk-gib", 10);
const dataGiB = arg("--data-gib", 4);
const lab = getLab();
const pool = createSshPool();
const ctx = { pool, target: lab.target };
const dom = "bench-backup";
const disk = `${lab.poolPath}/${dom}.qcow2`;
const virsh = (...args: string[]) => execFileSync("virsh", ["-q", "-c", "qemu:///system", ...args], { encoding: "utf8" });
const MiB = 2 ** 20;

function cleanUp() {
  for (const args of [
    ["destroy", dom],
    ["undefine", "--checkpoints-metadata", dom],
  ])
    try {
      virsh(...args);
    } catch {}
  execFileSync("sh", ["-c", `rm -f -- ${lab.poolPath}/${dom}*.qcow2 /tmp/${dom}.xml`]);
  virsh("pool-refresh", lab.pool);
}

cleanUp();
execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", disk, `${diskGiB}G`]);
// qemu-io takes at most 2 GiB per request: the data is written 1 GiB at a time.
const writes = Array.from({ length: dataGiB }, (_, i) => ["-c", `write -P 0x5a ${i}G 1G`]).flat();
execFileSync("qemu-io", ["-f", "qcow2", ...writes, disk], { stdio: "ignore" });
writeFileSync(
  `/tmp/${dom}.xml`,
  `<domain type='qemu'><name>${dom}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
<os><type arch='x86_64' machine='pc'>hvm</type></os>
<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${disk}'/><target dev='vda' bus='virtio'/></disk></devices></domain>`,
);
virsh("define", `/tmp/${dom}.xml`);
virsh("start", dom);

async function backUp(n: number, from: string | null) {
  const t = performance.now();
  const scratch = `${dom}-bk-${n}.qcow2`;
  const begun = await beginBackup({
    ...ctx,
    domain: dom,
    storagePool: lab.pool,
    poolPath: lab.poolPath,
    scratch,
    checkpoint: `bench-cp-${n}`,
    from,
  });
  if (!begun.ok) throw new Error(`backup ${n} could not begin: ${JSON.stringify(begun)}`);
  const target = `${dom}-target-${n}.qcow2`;
  const sent = await copyVolume({
    from: { ...ctx, storagePool: lab.pool, volume: scratch },
    to: { ...ctx, storagePool: lab.pool, volume: target },
  });
  const there = await volumeDigest({ ...ctx, storagePool: lab.pool, volume: target });
  if (there?.sha256 !== sent.sha256) throw new Error(`backup ${n}: the target reads back ${there?.sha256}, not ${sent.sha256}`);
  await removeVolume({ ...ctx, storagePool: lab.pool, volume: scratch });
  return { bytes: sent.bytes, ms: performance.now() - t };
}

try {
  const full = await backUp(1, null);
  const changed = Math.round((diskGiB * 1024 * MiB) / 100);
  // Through the disk's own device (its qdev path), as a guest's write would go, so the dirty bitmap records it.
  const said = virsh(
    "qemu-monitor-command",
    "--hmp",
    dom,
    `qemu-io -d /machine/peripheral/virtio-disk0/virtio-backend "write -P 0x33 ${MiB} ${changed}"`,
  ).trim();
  // HMP prints nothing for a write that succeeded through a device; the incremental's size shows it.
  if (/error|conflict|not found/i.test(said)) throw new Error(`qemu-io did not write: ${said.slice(0, 300)}`);
  const inc = await backUp(2, "bench-cp-1");
  const f = (b: number) => `${(b / MiB).toFixed(1)} MiB`;
  console.log(`disk ${diskGiB} GiB, ${dataGiB} GiB written; then ${f(changed)} (1 % of the disk) rewritten through qemu`);
  console.log(`full:        ${f(full.bytes)} moved in ${(full.ms / 1000).toFixed(2)} s`);
  console.log(`incremental: ${f(inc.bytes)} moved in ${(inc.ms / 1000).toFixed(2)} s`);
  console.log(`incremental / full: bytes ${(inc.bytes / full.bytes).toFixed(4)}×, time ${(inc.ms / full.ms).toFixed(3)}×`);
  // Correctness: the chain put together as a restore does it equals the live disk (nothing wrote since).
  const dir = await makeRestoreDir(ctx);
  try {
    for (const n of [1, 2])
      await copyVolumeToFile({
        from: { ...ctx, storagePool: lab.pool, volume: `${dom}-target-${n}.qcow2` },
        to: { ...ctx, path: `${dir}/f${n - 1}.qcow2` },
      });
    await assembleChain({ ...ctx, dir, files: 2, basePath: null, sizeBytes: diskGiB * 2 ** 30 });
    console.log(execFileSync("qemu-img", ["map", "--output=json", `${dir}/f1.qcow2`], { encoding: "utf8" }).slice(0, 1500));
    const same = execFileSync("sh", ["-c", `qemu-img compare -U -f qcow2 -F qcow2 ${disk} ${dir}/disk.qcow2; echo "exit $?"`], {
      encoding: "utf8",
    });
    console.log(`restored chain vs the live disk: ${same.trim()}`);
  } finally {
    await removeRestoreDir({ ...ctx, dir });
  }
} finally {
  cleanUp();
  await pool.close();
}
