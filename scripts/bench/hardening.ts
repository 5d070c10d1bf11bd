// Guest hardening and evidence: wall time and SSH round trips, in a throwaway root sandbox on this
// machine (namespaces + overlays, tests/helpers/guest-sandbox.ts), so no SSH transport cost is
// included: on a real guest add one network round trip per exec. Run as root: npx tsx scripts/bench/hardening.ts
import { performance } from "node:perf_hooks";
import { hardenGuest } from "@/lib/guest/harden-guest";
import { collectGuestEvidence, guestEvidenceSections } from "@/lib/guest/verify/guest-evidence";
import { evaluateGuestControls } from "@/lib/guest/verify/guest-controls";
import { startGuestSandbox } from "@/tests/helpers/guest-sandbox";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDd0cR1pE2nSWnBhCsUqTe9X3e3l9Eqn0tYgD8y7Hc4w bench@example";
const RUNS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

const box = await startGuestSandbox();
try {
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) floor.push((await timed(() => box.shell.exec("true")))[0]);

  let n = box.execCount();
  const [first, firstRes] = await timed(() => hardenGuest({ adminUser: "bench", sshPublicKey: KEY, role: "k3s-server", shell: box.shell }));
  const firstTrips = box.execCount() - n;

  const again: number[] = [];
  n = box.execCount();
  for (let i = 0; i < RUNS; i++)
    again.push((await timed(() => hardenGuest({ adminUser: "bench", sshPublicKey: KEY, role: "k3s-server", shell: box.shell })))[0]);
  const againTrips = (box.execCount() - n) / RUNS;

  const evidence: number[] = [];
  let controls = 0;
  n = box.execCount();
  for (let i = 0; i < RUNS; i++) {
    const [ms, ev] = await timed(() => collectGuestEvidence({ shell: box.shell, adminUser: "bench" }));
    evidence.push(ms);
    controls = evaluateGuestControls({ evidence: ev, expect: { role: "k3s-server", adminUser: "bench" } }).controls.length;
  }
  const evidenceTrips = (box.execCount() - n) / RUNS;

  // Baseline: the same evidence gathered one command per exec, as a tool without batching would.
  const sections = guestEvidenceSections("bench");
  const naive: number[] = [];
  for (let i = 0; i < RUNS; i++)
    naive.push(
      (
        await timed(async () => {
          for (const s of sections) await box.shell.exec(s.command);
        })
      )[0],
    );

  const f = median(floor);
  const rows = [
    ["exec floor (`true`)", f, 1],
    ["hardenGuest, first run (changes everything)", first, firstTrips],
    ["hardenGuest, converged run (changed=false)", median(again), againTrips],
    ["collectGuestEvidence, batched", median(evidence), evidenceTrips],
    ["evidence, one exec per section (baseline)", median(naive), sections.length],
  ] as const;
  console.log(`changes on first run: ${firstRes.changes.length}; controls evaluated: ${controls}; runs per median: ${RUNS}`);
  console.log("| operation | median ms | ×floor | SSH round trips |");
  console.log("|---|---:|---:|---:|");
  for (const [name, ms, trips] of rows) console.log(`| ${name} | ${ms.toFixed(1)} | ${(ms / f).toFixed(1)} | ${trips} |`);
  console.log(
    `batched evidence vs one-exec-per-section: ${(median(naive) / median(evidence)).toFixed(2)}× faster, ${sections.length}× fewer round trips`,
  );
} finally {
  box.stop();
}
