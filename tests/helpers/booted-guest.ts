import { rmSync } from "node:fs";
import { parse, stringify } from "yaml";
import type { K3sShell } from "@/lib/k3s/bootstrap";
import { createGuestShell } from "@/lib/ssh/guest-shell";
import { getDomainState, startDomain, undefineDomain } from "@/lib/libvirt/domains";
import { probeAccelerator, type Accelerator } from "@/lib/libvirt/probe";
import { runVirshWithXml } from "@/lib/libvirt/virsh";
import { createCloneVolume, createSeedVolume, deleteVolume } from "@/lib/libvirt/volumes";
import { buildDomainXml } from "@/lib/libvirt/xml/domain";
import { generateKeyPair } from "@/lib/ssh/keygen";
import { createSshPool, type SshPool } from "@/lib/ssh/pool";
import type { SshTarget } from "@/lib/ssh/target";
import { waitForSsh } from "@/lib/ssh/wait";
import { freeLoopbackPort, getLab, type Lab } from "@/tests/helpers/lab";

// Boots ONE real lab guest from the base image with the caller's cloud-init (e.g. buildCloudInit's
// output), pins the guest's host key before the first connection (seeded through cloud-init
// ssh_keys), matches the NIC by MAC (the image renders ifupdown, which ignores name globs), and
// returns a shell over the SSH jump through the lab host. stop() undefines it and deletes its volumes.

export type BootedGuest = {
  name: string;
  lab: Lab;
  pool: SshPool;
  accelerator: Accelerator;
  /** the admin user over the jump, with the guest's host key pinned */
  target: SshTarget;
  /** the guest's host key fingerprint, known before it booted */
  hostKeyFingerprint: string;
  /** K3sShell (exec + uploadFile) as the admin user; scripts elevate with sudo */
  shell: K3sShell & { execCount(): number };
  /** host loopback ports forwarded to guest ports, e.g. { 22: 22311, 8080: 22312 } */
  forwards: Record<number, number>;
  /** seconds from `virsh start` until SSH answered */
  sshAnsweredAfterS: number;
  stop(): Promise<void>;
};

export type BootGuestOptions = {
  name: string;
  cloudInit: { userData: string; metaData: string };
  adminUser: string;
  adminPrivateKey: string;
  /** guest TCP ports besides 22 to forward from the host's loopback (to test the firewall) */
  extraForwards?: number[];
  memoryMiB?: number;
};

const macFor = (name: string) => {
  const h = [...name].reduce((a, c) => (a * 31 + c.charCodeAt(0)) >>> 0, 7);
  return `52:54:00:${[h >>> 16, h >>> 8, h].map((b) => (b & 0xff).toString(16).padStart(2, "0")).join(":")}`;
};

/** Adds the guest host key to a `#cloud-config` document (test-only: the product seeds its own). */
function withHostKey(userData: string, key: { privateKey: string; publicKey: string }): string {
  const doc = parse(userData) as Record<string, unknown>;
  doc.ssh_keys = { ed25519_private: key.privateKey, ed25519_public: key.publicKey };
  doc.ssh_deletekeys = true;
  doc.ssh_genkeytypes = [];
  return `#cloud-config\n${stringify(doc, { lineWidth: 0 })}`;
}

export async function bootGuest(opts: BootGuestOptions): Promise<BootedGuest> {
  const lab = getLab();
  const pool = createSshPool({ commandTimeoutMs: 600_000 });
  const ctx = { pool, target: lab.target };
  const { name } = opts;
  const disk = `${name}.qcow2`;
  const seed = `${name}-seed.img`;
  const serialLog = `/var/log/libvirt/qemu/${name}-serial.log`;
  const hostKey = generateKeyPair({ comment: `root@${name}` });
  const mac = macFor(name);
  const forwards: Record<number, number> = { 22: await freeLoopbackPort() };
  for (const p of opts.extraForwards ?? []) forwards[p] = await freeLoopbackPort();
  const stop = async () => {
    await undefineDomain({ ...ctx, name, removeStorage: true }).catch(() => undefined);
    for (const volume of [disk, seed]) await deleteVolume({ ...ctx, storagePool: lab.pool, volume }).catch(() => undefined);
    rmSync(serialLog, { force: true });
    await pool.close();
  };
  try {
    const accelerator = await probeAccelerator({ pool, target: lab.target, kernelPath: lab.image.kernelPath });
    await createCloneVolume({ ...ctx, storagePool: lab.pool, baseVolume: lab.image.volume, name: disk, capacityBytes: 10 * 2 ** 30 });
    await createSeedVolume({
      ...ctx,
      storagePool: lab.pool,
      name: seed,
      userData: withHostKey(opts.cloudInit.userData, hostKey),
      metaData: opts.cloudInit.metaData,
      networkConfig: stringify({ version: 2, ethernets: { eth0: { match: { macaddress: mac }, "set-name": "eth0", dhcp4: true } } }),
    });
    let xml = buildDomainXml({
      name,
      type: accelerator === "kvm" ? "kvm" : "qemu",
      vcpus: 1,
      memoryMiB: opts.memoryMiB ?? 1024,
      kernel: { kernelPath: lab.image.kernelPath, initrdPath: lab.image.initrdPath, cmdline: lab.image.cmdline },
      disk: { pool: lab.pool, volume: disk },
      seed: { pool: lab.pool, volume: seed },
      network: { mode: "user-forward", sshPort: forwards[22]!, mac },
      serialLogPath: serialLog,
    });
    // Test-only: further forwards so a test can knock on other guest ports from the host.
    const extra = (opts.extraForwards ?? []).map((p) => `,hostfwd=tcp:127.0.0.1:${forwards[p]}-:${p}`).join("");
    xml = xml.replace(`-:22"`, `-:22${extra}"`);
    await runVirshWithXml({ ...ctx, args: ["define"], xml, step: `define domain ${name}` });
    await startDomain({ ...ctx, name });
    const target: SshTarget = {
      label: name,
      host: "127.0.0.1",
      port: forwards[22]!,
      username: opts.adminUser,
      privateKey: opts.adminPrivateKey,
      hostKeyFingerprint: hostKey.fingerprint,
      via: lab.target,
    };
    const answered = await waitForSsh({ pool, target, timeoutMs: 600_000 });
    await pool.exec({
      target,
      argv: ["cloud-init", "status", "--wait"],
      step: "wait for cloud-init",
      timeoutMs: 420_000,
      allowFailure: true,
    });
    let count = 0;
    const inner = createGuestShell({ pool, target, privilege: "sudo", step: `guest ${name}` });
    const shell = {
      exec: (cmd: string, o?: { stdin?: string }) => (count++, inner.exec(cmd, o)),
      uploadFile: inner.uploadFile,
      execCount: () => count,
    };
    if ((await getDomainState({ ...ctx, name })) !== "running") throw new Error(`guest ${name} is not running`);
    return {
      name,
      lab,
      pool,
      accelerator,
      target,
      hostKeyFingerprint: hostKey.fingerprint,
      shell,
      forwards,
      sshAnsweredAfterS: answered.elapsedMs / 1000,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
