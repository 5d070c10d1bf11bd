// Warm pool benchmark on the lab host (scripts/lab-host up && scripts/build-guest-image first).
//   npx tsx scripts/bench/warm-pool.ts [--orders 10] [--pool 3]
// 1. Order → first successful tenant SSH login (the tenant's own key, the guest's host key pinned to
//    what Skjold stored), served from a warm pool of 1, then on the cold path (pool off), same host,
//    same run: seconds and the ratio, and where the warm-served order's time went (each step, with
//    what personalise and verify measured inside them).
// 2. N orders in a row (each to its first login) against a pool of P, refilled in the background as
//    the schedule does (here every 2 s instead of 30 s): how many were served warm, and each time.
//    --orders 0 skips this part (its boots).
// The VMs are deleted at the end; the database is a fresh PostgreSQL one, dropped after.
import { openDatabase } from "@/lib/db/connect";
import { guestEvidenceSections } from "@/lib/guest/verify/guest-evidence";
import { createSshPool } from "@/lib/ssh/pool";
import { sharedSshPool } from "@/lib/hosts/host-target";
import { getJobSnapshot } from "@/lib/jobs/watch";
import { startWorker } from "@/lib/jobs/worker";
import { jobRegistry } from "@/lib/runtime/registry";
import { deleteVm } from "@/lib/vms/delete/delete-vm";
import { placeOrder } from "@/lib/vms/order/place-order";
import { refillWarmPools } from "@/lib/vms/warm/refill-warm-pools";
import { setWarmPool } from "@/lib/vms/warm/set-warm-pool";
import { makeUser } from "@/tests/helpers/factories";
import { createPostgresDatabase } from "@/tests/helpers/jobs-processes";
import { makeTenant, onboardLabHost, removeLeftoverVms, tenantTarget } from "@/tests/helpers/provision-lab";

const arg = (name: string, fallback: number) =>
  process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback;
const orders = arg("--orders", 10);
const poolSize = arg("--pool", 3);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const target = await createPostgresDatabase();
const db = await openDatabase({ kind: "postgres", url: target.url, poolSize: 12 });
const env = await onboardLabHost(db.prisma);
const admin = await makeUser(db.prisma, { isAdmin: true });
const tenant = await makeTenant(db.prisma, { maxVms: orders + 4, maxVcpus: 64, maxMemoryMb: 65_536 });
const worker = startWorker({ prisma: db.prisma, registry: jobRegistry, pollMs: 20, concurrency: 4, log: () => undefined });
const pool = sharedSshPool();
const POOL = { region: "osl1", plan: "nano", image: "debian-12" };
const setSize = (size: number) => setWarmPool({ prisma: db.prisma, principal: admin.principal, input: { ...POOL, size } });
const vms: string[] = [];

/** Until `n` warm guests are ready (the refill run by hand, as the schedule would). */
async function warmUp(n: number) {
  for (;;) {
    await refillWarmPools({ prisma: db.prisma });
    worker.wake();
    const ready = await db.prisma.virtualMachine.count({ where: { teamId: null, warmPoolId: { not: null }, state: "RUNNING" } });
    if (ready >= n) return;
    await sleep(1_000);
  }
}

/** Order → first successful tenant login; whether it was served warm. */
async function orderToLogin(name: string): Promise<{ ms: number; warm: boolean; vmId: string; jobId: string }> {
  const started = performance.now();
  const input = { name, regionCode: "osl1", planCode: "nano", imageSlug: "debian-12", sshKeyId: tenant.sshKey.id };
  const { vm, jobId } = await placeOrder({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, input });
  vms.push(vm.id);
  worker.wake();
  for (;;) {
    const snap = (await getJobSnapshot({ prisma: db.prisma, jobId }))!;
    if (snap.done && snap.state !== "SUCCEEDED") throw new Error(`order ${name} ended ${snap.state}: ${snap.lastError}`);
    if (snap.done) break;
    await sleep(10);
  }
  const row = await db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: vm.id } });
  // A pool of its own: the shared pool keys connections by user, address and pinned host key, not by
  // the private key, so it would hand back the worker's management connection (same user) instead of
  // a login with the tenant's key.
  const own = createSshPool();
  const out = await own
    .exec({ target: tenantTarget(env.lab, row, tenant.privateKey), argv: ["hostname"], step: "tenant login" })
    .finally(() => own.close());
  if (out.stdout.trim() !== name) throw new Error(`logged in to ${out.stdout.trim()}, not ${name}`);
  return { ms: performance.now() - started, warm: row.warmClaimedAt !== null, vmId: vm.id, jobId };
}

/** Where the hardening report's exec goes: a fresh connection's login, then each section's command on the guest. */
async function profileEvidence(vmId: string): Promise<string> {
  const row = await db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: vmId } });
  const fresh = createSshPool();
  try {
    const target = tenantTarget(env.lab, row, tenant.privateKey);
    const t0 = performance.now();
    await fresh.exec({ target, argv: ["true"], step: "login" });
    const login = performance.now() - t0;
    const script = guestEvidenceSections(row.adminUser)
      .map((x) => `s=$(date +%s%N); { ${x.command}; } >/dev/null 2>&1; echo "${x.name} $(( ($(date +%s%N) - s) / 1000000 ))"`)
      .join("\n");
    const t1 = performance.now();
    const out = await fresh.exec({ target, argv: ["sudo", "-n", "sh", "-c", script], step: "profile" });
    const exec = performance.now() - t1;
    const parts = out.stdout
      .trim()
      .split("\n")
      .map((l) => `${l.split(" ")[0]} ${l.split(" ")[1]} ms`);
    return `fresh login ${s(login)}; one exec ${s(exec)}: ${parts.join(", ")}`;
  } finally {
    await fresh.close();
  }
}

/** Each step's time (from the job's own timestamps), with what the step measured inside itself. */
async function stepTimes(jobId: string): Promise<string> {
  const snap = (await getJobSnapshot({ prisma: db.prisma, jobId, includeOutputs: true }))!;
  return snap.steps
    .map((st) => {
      const ms = st.startedAt && st.finishedAt ? Date.parse(st.finishedAt) - Date.parse(st.startedAt) : Number.NaN;
      const out = st.output as Record<string, unknown> | null | undefined;
      const inner = Object.entries(out ?? {}).filter(([k]) => k.endsWith("Ms"));
      return `${st.key} ${s(ms)}${inner.length ? ` (${inner.map(([k, v]) => `${k} ${v}`).join(", ")})` : ""}`;
    })
    .join(", ");
}

try {
  console.log(`host: ${env.host.name} (${env.host.accelerator}), plan nano, image debian-12`);
  await setSize(1);
  await warmUp(1);
  await setSize(0);
  const warm = await orderToLogin("bench-warm");
  const cold = await orderToLogin("bench-cold");
  if (!warm.warm || cold.warm) throw new Error("the first order should be served warm and the second cold");
  console.log(`order → first tenant SSH login: warm ${s(warm.ms)}, cold ${s(cold.ms)} → warm/cold ${(warm.ms / cold.ms).toFixed(3)}`);
  console.log(`  warm-served job: ${await stepTimes(warm.jobId)}`);
  console.log(`  verify's evidence, on the guest: ${await profileEvidence(warm.vmId)}`);
  if (orders > 0) {
    await setSize(poolSize);
    await warmUp(poolSize);
    let stop = false;
    const refill = (async () => {
      while (!stop) {
        await refillWarmPools({ prisma: db.prisma }).catch(() => undefined);
        worker.wake();
        await sleep(2_000);
      }
    })();
    const times: { ms: number; warm: boolean }[] = [];
    for (let i = 0; i < orders; i++) {
      const r = await orderToLogin(`bench-row-${i}`);
      times.push(r);
      console.log(`  order ${i + 1}: ${r.warm ? "warm" : "cold"} ${s(r.ms)}`);
    }
    stop = true;
    await refill;
    console.log(`${orders} orders in a row against a pool of ${poolSize}: ${times.filter((t) => t.warm).length} served warm`);
    await setSize(0);
  }
} finally {
  for (const vmId of vms)
    await deleteVm({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, vmId }).catch(() => undefined);
  worker.wake();
  for (let i = 0; i < 600 && (await db.prisma.job.count({ where: { finishedAt: null } })) > 0; i++) await sleep(500);
  await worker.stop({ graceMs: 1_000 });
  await removeLeftoverVms(db, env.lab.pool);
  await pool.close();
  await db.close();
  await target.drop();
}
