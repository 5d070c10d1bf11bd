// Provisioning benchmark on the lab host (scripts/lab-host up && scripts/build-guest-image first).
//   npx tsx scripts/bench/provision.ts [--rounds 3] [--parallel 10] [--preboot-only]
// Each round runs the baseline and then the pipeline; every round is printed, and the summary is the
// true median over the rounds (the mean of the middle two for an even count).
// Pre-boot (issue 17's cold path): Skjold's own time from the order to its domain started (the end of
// the define-start step) beside plain virsh's clone + seed + define + start by hand, same host, same
// round. --preboot-only stops there (the pipeline's job is cancelled and rolls back; the baseline's
// domain is destroyed), so many rounds take minutes instead of one TCG boot each.
// Baseline, same host, same run: the same image cloned, seeded and booted with plain virsh commands
// (root, local), waited on the same way (SSH through the host with the guest key pinned, then
// `cloud-init status --wait`). Pipeline: placeOrder → vm.provision on an in-process worker, on a
// fresh PostgreSQL database, timed from the order to the end of its wait-ssh step (SSH-ready);
// hardening and verification are reported separately. Then N orders at once on the one host.
//   --routed: the same comparison on the network lab's routed host (scripts/lab-host up --hosts 2):
//   the pipeline gives the VM its public addresses (host-network step: tap, routes, anti-spoofing)
//   and reaches it straight; the baseline makes the same tap with the same script as root in the
//   host's namespaces, boots the same XML and seed (with its network-config) by plain virsh there, and
//   waits the same way, straight to the guest's address.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDatabase } from "@/lib/db/connect";
import { sharedSshPool } from "@/lib/hosts/host-target";
import { jobRegistry } from "@/lib/runtime/registry";
import { getJobSnapshot, type JobSnapshot } from "@/lib/jobs/watch";
import { startWorker } from "@/lib/jobs/worker";
import { cancelJob } from "@/lib/jobs/cancel";
import { buildDomainXml } from "@/lib/libvirt/xml/domain";
import { buildGuestNetworkConfig } from "@/lib/network/guest-network-config";
import { buildGuestNicRemoval, buildGuestNicSetup, ROUTED_GATEWAY_V4, ROUTED_GATEWAY_V6 } from "@/lib/network/host-nic";
import { placeOrder } from "@/lib/vms/order/place-order";
import { deleteVm } from "@/lib/vms/delete/delete-vm";
import { buildVmSeed } from "@/lib/vms/provision/vm-seed";
import { waitForGuestSsh } from "@/lib/vms/provision/wait-for-guest-ssh";
import { generateKeyPair } from "@/lib/ssh/keygen";
import { createPostgresDatabase } from "@/tests/helpers/jobs-processes";
import { freeLoopbackPort } from "@/tests/helpers/lab";
import { onboardNetLab } from "@/tests/helpers/net-lab";
import { makeTenant, onboardLabHost } from "@/tests/helpers/provision-lab";

const arg = (name: string, fallback: number) =>
  process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback;
const rounds = arg("--rounds", 3);
const prebootOnly = process.argv.includes("--preboot-only");
const parallel = prebootOnly ? 1 : arg("--parallel", 10);
const routed = process.argv.includes("--routed");
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const ms = (x: number) => `${Math.round(x)} ms`;

const target = await createPostgresDatabase();
const db = await openDatabase({ kind: "postgres", url: target.url, poolSize: 12 });
const env = await onboardLabHost(db.prisma);
const net = routed ? (await onboardNetLab(db.prisma, { modes: ["routed"] })).hosts[0]! : null;
if (net) {
  // Orders go to the routed host only: the loopback lab host stays onboarded (its image row is
  // shared) but is drained.
  await db.prisma.host.update({ where: { id: env.host.id }, data: { draining: true } });
}
// Plain virsh as root: on this machine's libvirtd, or inside the routed host's mount and network
// namespaces (its own libvirtd), where the tap script also runs.
const hostPid = net ? readFileSync(`/var/lib/skjold-lab/hosts/${net.netns.replace(/^skjlab-/, "")}/libvirtd.pid`, "utf8").trim() : null;
const inHost = (argv: string[], input?: string) =>
  hostPid
    ? execFileSync("nsenter", ["-t", hostPid, "-m", "-n", ...argv], { encoding: "utf8", input })
    : execFileSync(argv[0]!, argv.slice(1), { encoding: "utf8", input });
const virsh = (...args: string[]) => inHost(["virsh", "-q", "-c", "qemu:///system", ...args]);
const labPool = net ? net.pool : env.lab.pool;
const tenant = await makeTenant(db.prisma, { maxVms: parallel + 2, maxVcpus: 64, maxMemoryMb: 65_536 });
const worker = startWorker({ prisma: db.prisma, registry: jobRegistry, pollMs: 50, concurrency: parallel, log: () => undefined });
const pool = sharedSshPool();

async function baseline(i: number): Promise<{ prebootMs: number; sshReadyMs: number }> {
  const name = `skjbench-base-${process.pid}-${i}`;
  const port = await freeLoopbackPort();
  const mgmt = generateKeyPair();
  const hostKey = generateKeyPair();
  const dir = mkdtempSync(path.join(tmpdir(), "skjold-bench-"));
  // Routed: the last IPv4 of the host's pool and the last /64 of its IPv6 prefix (the pipeline's
  // orders take the first ones), a tap named as Skjold names them.
  const tap = `sb${(process.pid * 16 + i).toString(16).padStart(12, "0").slice(-12)}`;
  const mac = `52:54:00:be:${(i & 0xff).toString(16).padStart(2, "0")}:01`;
  const v4 = net ? net.ipv4.cidr.replace(/\.(\d+)\/(\d+)$/, (_m, last, len) => `.${Number(last) + 2 ** (32 - Number(len)) - 2}`) : null;
  const v6Prefix = net ? `${net.ipv6.cidr.replace(/::\/\d+$/, "")}:ff${(i & 0xff).toString(16).padStart(2, "0")}::/64` : null;
  const v6 = v6Prefix ? v6Prefix.replace(/::\/64$/, "::1") : null;
  const started = performance.now();
  try {
    if (net) inHost(["sh", "-s"], buildGuestNicSetup({ tap, mode: "routed", mac, ipv4: v4, ipv6: v6Prefix, ipv6RoutedPrefix: v6Prefix }));
    virsh(
      "vol-create-as",
      labPool,
      `${name}.qcow2`,
      "10G",
      "--format",
      "qcow2",
      "--backing-vol",
      env.lab.image.volume,
      "--backing-vol-format",
      "qcow2",
    );
    const seed = buildVmSeed({
      hostname: "bench",
      instanceId: name,
      adminUser: "skjold",
      tenantPublicKey: mgmt.publicKey,
      managementPublicKey: mgmt.publicKey,
      hostKey,
    });
    writeFileSync(`${dir}/user-data`, seed.userData);
    writeFileSync(`${dir}/meta-data`, seed.metaData);
    const netArgs: string[] = [];
    if (net) {
      writeFileSync(
        `${dir}/network-config`,
        buildGuestNetworkConfig([
          {
            mac,
            name: "eth0",
            ipv4: { address: v4!, prefixLen: 32, gateway: ROUTED_GATEWAY_V4 },
            ipv6: { address: v6!, prefixLen: 64, gateway: ROUTED_GATEWAY_V6 },
          },
        ]),
      );
      netArgs.push(`--network-config=${dir}/network-config`);
    }
    execFileSync("cloud-localds", [...netArgs, `${dir}/seed.img`, `${dir}/user-data`, `${dir}/meta-data`]);
    virsh("vol-create-as", labPool, `${name}-seed.img`, "1M", "--format", "raw");
    virsh("vol-upload", "--pool", labPool, `${name}-seed.img`, `${dir}/seed.img`);
    writeFileSync(
      `${dir}/domain.xml`,
      buildDomainXml({
        name,
        type: "qemu",
        vcpus: 1,
        memoryMiB: 512,
        kernel: { kernelPath: env.lab.image.kernelPath, initrdPath: env.lab.image.initrdPath, cmdline: env.lab.image.cmdline },
        disk: { pool: labPool, volume: `${name}.qcow2` },
        seed: { pool: labPool, volume: `${name}-seed.img` },
        ...(net ? { taps: [{ dev: tap, mac }] } : { network: { mode: "user-forward" as const, sshPort: port } }),
      }),
    );
    // The namespaced virsh reads the XML from its stdin's path in the host's mount namespace: /tmp is shared.
    virsh("define", `${dir}/domain.xml`);
    virsh("start", name);
    const prebootMs = performance.now() - started;
    if (prebootOnly) return { prebootMs, sshReadyMs: NaN };
    const guest = net
      ? { label: name, host: v4!, port: 22, username: "skjold", privateKey: mgmt.privateKey, hostKeyFingerprint: hostKey.fingerprint }
      : {
          label: name,
          host: "127.0.0.1",
          port,
          username: "skjold",
          privateKey: mgmt.privateKey,
          hostKeyFingerprint: hostKey.fingerprint,
          via: env.lab.target,
        };
    // The same wait as the pipeline's wait-ssh step on a TCG host.
    await waitForGuestSsh({
      pool,
      target: guest,
      timeoutMs: 1_800_000,
      phaseMs: 45_000,
      signal: new AbortController().signal,
      afterLogin: { command: "cloud-init status --wait", timeoutMs: 240_000 },
    });
    return { prebootMs, sshReadyMs: performance.now() - started };
  } finally {
    // libvirt's --remove-all-storage skips read-only disks: the seed is deleted by name.
    for (const args of [
      ["destroy", name],
      ["undefine", name],
      ["vol-delete", "--pool", labPool, `${name}.qcow2`],
      ["vol-delete", "--pool", labPool, `${name}-seed.img`],
    ]) {
      try {
        virsh(...args);
      } catch {
        /* already off or gone */
      }
    }
    if (net) inHost(["sh", "-s"], buildGuestNicRemoval({ tap, mode: "routed" }));
    rmSync(dir, { recursive: true, force: true });
  }
}

const stepMs = (snap: JobSnapshot, key: string) => {
  const st = snap.steps.find((x) => x.key === key)!;
  return st.startedAt && st.finishedAt ? Date.parse(st.finishedAt) - Date.parse(st.startedAt) : NaN;
};

/** Order → domain started: from the order to the end of define-start (the domain runs from then on). */
const PREBOOT_STEPS = ["reserve", "place", "allocate-port", "clone-and-seed", "host-network", "define-start"];

async function orderOne(
  name: string,
): Promise<{ prebootMs: number; sshReadyMs: number; readyMs: number; snap: JobSnapshot; vmId: string }> {
  const startedAt = Date.now();
  const started = performance.now();
  const input = { name, regionCode: "osl1", planCode: "nano", imageSlug: "debian-12", sshKeyId: tenant.sshKey.id };
  const { vm, jobId } = await placeOrder({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, input });
  worker.wake();
  let sshReadyMs = NaN;
  let prebootMs = NaN;
  for (;;) {
    const snap = (await getJobSnapshot({ prisma: db.prisma, jobId }))!;
    const defined = snap.steps.find((x) => x.key === "define-start");
    if (Number.isNaN(prebootMs) && defined?.state === "SUCCEEDED" && defined.finishedAt) {
      prebootMs = Date.parse(defined.finishedAt) - startedAt;
      if (prebootOnly) {
        await cancelJob({ prisma: db.prisma, jobId, reason: "Benchmark: stopped after the domain started" });
        worker.wake();
        while (!(await getJobSnapshot({ prisma: db.prisma, jobId }))!.done) await new Promise((r) => setTimeout(r, 100));
        return { prebootMs, sshReadyMs, readyMs: NaN, snap, vmId: vm.id };
      }
    }
    if (Number.isNaN(sshReadyMs) && snap.steps.find((x) => x.key === "wait-ssh")?.state === "SUCCEEDED")
      sshReadyMs = performance.now() - started;
    if (snap.done) {
      if (snap.state !== "SUCCEEDED") throw new Error(`order ${name} ended ${snap.state}: ${snap.lastError}`);
      return { prebootMs, sshReadyMs, readyMs: performance.now() - started, snap, vmId: vm.id };
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function remove(vmId: string) {
  const { jobId } = await deleteVm({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug, vmId });
  worker.wake();
  while (!(await getJobSnapshot({ prisma: db.prisma, jobId }))!.done) await new Promise((r) => setTimeout(r, 200));
}

const base: Awaited<ReturnType<typeof baseline>>[] = [];
const piped: Awaited<ReturnType<typeof orderOne>>[] = [];
for (let i = 0; i < rounds; i++) {
  base.push(await baseline(i));
  const one = await orderOne(`bench-${i}`);
  piped.push(one);
  const b1 = base.at(-1)!;
  console.log(
    `round ${i + 1}: pre-boot pipeline ${ms(one.prebootMs)} vs plain virsh ${ms(b1.prebootMs)} (${(one.prebootMs / b1.prebootMs).toFixed(2)}×)` +
      (prebootOnly
        ? ""
        : `; SSH-ready pipeline ${s(one.sshReadyMs)} vs plain virsh ${s(b1.sshReadyMs)} (${(one.sshReadyMs / b1.sshReadyMs).toFixed(2)}×), ready (hardened + verified) ${s(one.readyMs)}`),
  );
  if (!prebootOnly) await remove(one.vmId);
}
const pb = median(base.map((x) => x.prebootMs));
const pp = median(piped.map((x) => x.prebootMs));
console.log(`\nhost: ${net ? `${net.name} (routed: the VM's own addresses, reached straight)` : "lab-host (user-mode, through the host)"}`);
console.log(`rounds: ${rounds}; figures are medians over the rounds`);
console.log(
  `order → domain started (Skjold's own pre-boot time): pipeline ${ms(pp)} vs plain virsh ${ms(pb)} → ratio ${(pp / pb).toFixed(2)} (targets ≤ 500 ms, ≤ 1.2)`,
);
const p = median(piped.map((x) => x.sshReadyMs));
if (!prebootOnly) {
  const b = median(base.map((x) => x.sshReadyMs));
  console.log(`order → SSH-ready: pipeline ${s(p)} vs plain virsh ${s(b)} → ratio ${(p / b).toFixed(2)} (target ≤ 1.15)`);
  console.log(`order → ready incl. hardening + verification: ${s(median(piped.map((x) => x.readyMs)))}`);
}
console.log("\nper step (median over rounds):");
for (const st of piped[0]!.snap.steps) {
  if (prebootOnly && !PREBOOT_STEPS.includes(st.key)) continue;
  console.log(`  ${st.key.padEnd(14)} ${ms(median(piped.map((x) => stepMs(x.snap, st.key))))}`);
}

if (parallel > 1) {
  const started = performance.now();
  const all = await Promise.all(Array.from({ length: parallel }, (_, i) => orderOne(`bench-par-${i}`)));
  const total = performance.now() - started;
  const lastSsh = Math.max(...all.map((x) => x.sshReadyMs));
  console.log(`\n${parallel} parallel orders on one host (nano: 1 vCPU, 512 MiB each, TCG):`);
  console.log(`  all SSH-ready after ${s(lastSsh)} = ${(lastSsh / p).toFixed(2)} × one order; all ready after ${s(total)}`);
  console.log(`  per-order SSH-ready: median ${s(median(all.map((x) => x.sshReadyMs)))}, max ${s(lastSsh)}`);
  for (const x of all) await remove(x.vmId);
}

await worker.stop({ graceMs: 1_000 });
await pool.close();
await db.close();
await target.drop();
