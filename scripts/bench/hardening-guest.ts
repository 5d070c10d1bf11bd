// Guest hardening and evidence on a REAL booted lab guest (TCG here), over one pooled SSH session
// through the lab host as a jump. Ratios are against an exec of `true` on the same session in the
// same run. Boots one guest and removes it afterwards. Run as root: npx tsx scripts/bench/hardening-guest.ts
import { performance } from "node:perf_hooks";
import { buildCloudInit } from "@/lib/guest/cloud-init";
import { hardenGuest } from "@/lib/guest/harden-guest";
import { evaluateGuestControls } from "@/lib/guest/verify/guest-controls";
import { collectGuestEvidence, guestEvidenceSections } from "@/lib/guest/verify/guest-evidence";
import { generateKeyPair } from "@/lib/ssh/keygen";
import { quoteArg } from "@/lib/ssh/quote";
import { bootGuest } from "@/tests/helpers/booted-guest";

const RUNS = 5;
const ADMIN = "skjold";
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

const tenant = generateKeyPair({ comment: "bench-tenant" });
const mgmt = generateKeyPair({ comment: "bench-mgmt" });
const hardening = { adminUser: ADMIN, sshPublicKey: tenant.publicKey, extraSshPublicKeys: [mgmt.publicKey], role: "vm" as const };
const name = `skj-bench-${process.pid}`;
const t0 = performance.now();
const guest = await bootGuest({
  name,
  cloudInit: buildCloudInit({ ...hardening, hostname: name }),
  adminUser: ADMIN,
  adminPrivateKey: mgmt.privateKey,
});
const bootS = (performance.now() - t0) / 1000;
try {
  const shell = guest.shell;
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) floor.push((await timed(() => shell.exec("true")))[0]);
  const sudoFloor: number[] = [];
  for (let i = 0; i < RUNS; i++) sudoFloor.push((await timed(() => shell.exec("sudo -n true")))[0]);

  let n = shell.execCount();
  const [first, firstRes] = await timed(() => hardenGuest({ ...hardening, shell, privilege: "sudo" }));
  const firstTrips = shell.execCount() - n;
  const again: number[] = [];
  n = shell.execCount();
  for (let i = 0; i < RUNS; i++) again.push((await timed(() => hardenGuest({ ...hardening, shell, privilege: "sudo" })))[0]);
  const againTrips = (shell.execCount() - n) / RUNS;

  const evidence: number[] = [];
  let controls = 0;
  for (let i = 0; i < RUNS; i++) {
    const [ms, ev] = await timed(() => collectGuestEvidence({ shell, adminUser: ADMIN, privilege: "sudo" }));
    evidence.push(ms);
    controls = evaluateGuestControls({ evidence: ev, expect: { role: "vm", adminUser: ADMIN } }).controls.length;
  }
  // Baseline: the same evidence one command per exec (each through sudo), as a tool without batching would.
  const sections = guestEvidenceSections(ADMIN);
  const naive: number[] = [];
  for (let i = 0; i < RUNS; i++)
    naive.push(
      (
        await timed(async () => {
          for (const s of sections) await shell.exec(`sudo -n sh -c ${quoteArg(s.command)}`);
        })
      )[0],
    );

  const f = median(floor);
  const rows = [
    ["exec floor (`true`)", f, 1],
    ["exec `sudo -n true`", median(sudoFloor), 1],
    ["hardenGuest, first run after cloud-init", first, firstTrips],
    ["hardenGuest, converged run (changed=false)", median(again), againTrips],
    ["collectGuestEvidence, batched", median(evidence), 1],
    ["evidence, one exec per section (baseline)", median(naive), sections.length],
  ] as const;
  const stats = guest.pool.stats();
  console.log(
    `accelerator ${guest.accelerator}; boot+SSH+cloud-init ${bootS.toFixed(0)} s (SSH answered ${guest.sshAnsweredAfterS.toFixed(0)} s after start); first-run changes: ${firstRes.changes.join(", ")}; controls: ${controls}; runs per median: ${RUNS}`,
  );
  console.log(`SSH connections opened in the whole run: ${stats.connectsOpened} (lab host + guest), commands: ${stats.commandsRun}`);
  console.log("| operation | median ms | ×floor | SSH round trips |");
  console.log("|---|---:|---:|---:|");
  for (const [label, ms, trips] of rows) console.log(`| ${label} | ${ms.toFixed(0)} | ${(ms / f).toFixed(1)} | ${trips} |`);
  console.log(`batched evidence vs one exec per section: ${(median(naive) / median(evidence)).toFixed(2)}× faster`);
} finally {
  await guest.stop();
}
