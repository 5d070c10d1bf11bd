import { randomBytes } from "node:crypto";
import { AppError } from "../../core/errors";
import { decryptSecret, encryptSecret } from "../../core/secrets";
import { buildPersonaliseScript } from "../../guest/personalise-script";
import { runRootScript } from "../../guest/shell";
import type { StepDefinition } from "../../jobs/define";
import { sharedSshPool } from "../../hosts/host-target";
import { generateKeyPair, type GeneratedKeyPair } from "../../ssh/keygen";
import { createSshPool } from "../../ssh/pool";
import { removeVmFromHost } from "../delete/remove-vm-from-host";
import { hardeningInputOf } from "../shared/hardening-input";
import { buildVmSeedVolume, instanceIdOf, recordVmSeed } from "../provision/build-seed";
import type { ProvisionVmPayload } from "../provision/payload";
import { guestTarget } from "../shared/guest-target";
import { loadVm, requirePlaced, vmHostContext, type PlacedVm } from "../shared/load-vm";
import { addVmEvent } from "../shared/vm-events";
import { vmGuestShell } from "../shared/vm-guest-shell";
import { closeVmLocations, openVmLocation } from "../shared/vm-locations";

// A warm guest taken by an order becomes the tenant's machine while it runs, over its management SSH
// connection. The new host key is generated and stored (encrypted) before the guest is touched, so a
// run resumed after a crash installs the same key and still knows the guest whichever key it
// presents; the seed on the host is rebuilt with the tenant's key, that host key and a new instance
// id (a reboot keeps the identity); then the running guest is rewritten in one exec and the new key
// pinned; the seed and the guest are rewritten at the same time. The guest was hardened when it warmed,
// so the script also writes the admin user's keys (the tenant's and the management key) and nothing
// else of the hardening. Nothing is handed out before the hardening report after this step passes; a
// permanent failure discards the guest (its compensation), it is never put back in the pool.

export const personaliseStep: StepDefinition<ProvisionVmPayload> = {
  key: "personalise",
  async run({ prisma, payload, signal }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    if (!vm.team || !vm.warmClaimedAt)
      throw new AppError("CONFLICT", `VM ${vm.name} was not taken from a warm pool`, {
        key: "error.vm.notFromWarmPool",
        params: { name: vm.name },
      });
    const hostKey = await pendingHostKey(prisma, vm);
    const keys = hardeningInputOf(vm);
    const script = buildPersonaliseScript({
      hostname: vm.name,
      adminUser: keys.adminUser,
      authorizedKeys: [keys.sshPublicKey, ...keys.extraSshPublicKeys],
      instanceId: instanceIdOf(vm),
      hostKey,
      machineId: randomBytes(16).toString("hex"),
      entropy: randomBytes(512).toString("base64"),
      randomSeed: randomBytes(512).toString("base64"),
    });
    // The seed on the host and the running guest are independent (both carry the stored pending key,
    // both are safe to redo): one round trip to each, at the same time.
    const t0 = performance.now();
    const timed = async <T>(p: Promise<T>): Promise<[T, number]> => [await p, Math.round(performance.now() - t0)];
    const [[seed, seedMs], [{ how, guestMs }, scriptMs]] = await Promise.all([
      timed(buildVmSeedVolume(prisma, vm, { hostKey })),
      timed(runOnGuest({ vm, newFingerprint: hostKey.fingerprint, script })),
    ]);
    // The script returns once sshd listens on the new key: one login with it, on the shared pool, whose
    // connection the hardening report (the next step) reuses. A retry covers a listener still coming up.
    await firstLoginWithNewKey({ vm, fingerprint: hostKey.fingerprint, signal });
    const answeredMs = Math.round(performance.now() - t0);
    await recordVmSeed({ prisma, vm, seed });
    await prisma.virtualMachine.update({ where: { id: vm.id }, data: { pendingHostKeyEnc: null } });
    // Handed to a team now: the ledger holds the disk and the seed from here on (the seed's entry is
    // recordVmSeed's; the disk is the one the warm boot cloned, unchanged since).
    if (vm.diskVolume) {
      const path = `${vm.pool.path.replace(/\/+$/, "")}/${vm.diskVolume}`;
      await openVmLocation({ prisma, vm, kind: "VM_DISK", volume: vm.diskVolume, path });
    }
    await addVmEvent({
      prisma,
      vmId: vm.id,
      kind: "personalised",
      message: `Served from the warm pool: hostname ${vm.name}, new host key ${hostKey.fingerprint} (the warm boot's removed), machine-id, random seed and cloud-init instance id replaced${how === "resumed" ? " (resumed after an interruption)" : ""}`,
      key: how === "resumed" ? "event.personalisedResumed" : "event.personalised",
      params: { name: vm.name, fingerprint: hostKey.fingerprint },
    });
    // Where the time went (ms from the start of the seed and the script): for docs/benchmarks/warm-pool.md.
    return { guestHostKeyFingerprint: hostKey.fingerprint, resumed: how === "resumed", seedMs, scriptMs, guestMs, answeredMs };
  },
  // Discarded, never both: what the warm guest has on the host goes; the VM fails (reserve's undo).
  async compensate({ prisma, payload }) {
    const vm = requirePlaced(await loadVm(prisma, payload.vmId));
    await removeVmFromHost({
      ctx: vmHostContext(vm, prisma),
      domainName: vm.domainName,
      storagePool: vm.pool.name,
      networkMode: vm.host.networkMode,
    });
    await closeVmLocations({ prisma, vmId: vm.id });
  },
};

/** The host key this personalisation installs: made once and stored encrypted before the guest is touched. */
async function pendingHostKey(prisma: Parameters<typeof loadVm>[0], vm: PlacedVm): Promise<GeneratedKeyPair> {
  if (vm.pendingHostKeyEnc) return JSON.parse(decryptSecret(vm.pendingHostKeyEnc)) as GeneratedKeyPair;
  const key = generateKeyPair({ comment: `root@${vm.name}` });
  const stored = await prisma.virtualMachine.updateMany({
    where: { id: vm.id, pendingHostKeyEnc: null },
    data: { pendingHostKeyEnc: encryptSecret(JSON.stringify(key)) },
  });
  if (stored.count === 1) return key;
  const again = await prisma.virtualMachine.findUniqueOrThrow({ where: { id: vm.id }, select: { pendingHostKeyEnc: true } });
  return JSON.parse(decryptSecret(again.pendingHostKeyEnc!)) as GeneratedKeyPair;
}

/**
 * Runs the script as root with the warm key pinned; when the guest already presents the new key (an
 * earlier run got that far before it was interrupted), with the new key pinned instead.
 */
async function runOnGuest(opts: {
  vm: PlacedVm;
  newFingerprint: string;
  script: string;
}): Promise<{ how: "first" | "resumed"; guestMs: number | null }> {
  const { vm } = opts;
  // A pool of its own, closed after: no connection made under the warm identity outlives it.
  const pool = createSshPool();
  const run = async (fingerprint: string | null) => {
    const shell = vmGuestShell({ vm: { ...vm, guestHostKeyFingerprint: fingerprint }, step: "personalise the warm guest", pool });
    const { stdout } = await runRootScript({ shell, privilege: "sudo", script: opts.script, what: "Personalisation" });
    if (!stdout.includes("SKJOLD_DONE")) throw new Error("personalisation script ended without its completion marker");
    // how long the script itself ran on the guest (the rest of the exec is the connection and sudo)
    const ms = /^SKJOLD_ELAPSED_MS (\d+)$/m.exec(stdout)?.[1];
    return ms ? Number(ms) : null;
  };
  try {
    if (vm.guestHostKeyFingerprint === opts.newFingerprint) return { how: "resumed", guestMs: await run(opts.newFingerprint) };
    try {
      return { how: "first", guestMs: await run(vm.guestHostKeyFingerprint) };
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "HOST_KEY_MISMATCH") throw err;
      return { how: "resumed", guestMs: await run(opts.newFingerprint) };
    }
  } finally {
    await pool.close();
  }
}

/** The first login with the new key (on the shared pool: the next steps reuse the connection); retried while the listener comes up. */
async function firstLoginWithNewKey(opts: { vm: PlacedVm; fingerprint: string; signal?: AbortSignal }): Promise<void> {
  const target = guestTarget({ ...opts.vm, guestHostKeyFingerprint: opts.fingerprint });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await sharedSshPool().exec({ target, argv: ["true"], step: "log in with the new host key", timeoutMs: 30_000 });
      return;
    } catch (err) {
      // Waiting cannot fix another key than the one just installed.
      if (err instanceof AppError && err.code === "HOST_KEY_MISMATCH") throw err;
      if (Date.now() > deadline || opts.signal?.aborted) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
