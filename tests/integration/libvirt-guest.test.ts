import { existsSync, rmSync } from "node:fs";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import {
  defineAndStartDomain,
  defineDomain,
  getDomainState,
  listDomains,
  shutdownDomain,
  startDomain,
  undefineDomain,
} from "@/lib/libvirt/domains";
import type { DomainSpec } from "@/lib/libvirt/xml/domain";
import { probeAccelerator, type Accelerator } from "@/lib/libvirt/probe";
import { createCloneVolume, createSeedVolume, deleteVolume, listVolumes } from "@/lib/libvirt/volumes";
import { generateKeyPair } from "@/lib/ssh/keygen";
import { createSshPool, type SshPool } from "@/lib/ssh/pool";
import type { SshTarget } from "@/lib/ssh/target";
import { waitForSsh } from "@/lib/ssh/wait";
import { freeLoopbackPort, getLab, rootVirsh, type Lab } from "@/tests/helpers/lab";

// One real guest, start to finish: clone the base image, seed cloud-init with a test key and the
// guest's own host key, define and start, reach SSH through the host as a jump with the guest key
// pinned, shut down, undefine with storage, and find nothing left. One boot for the whole file.

const name = `skj-it-${process.pid}`;
const disk = `${name}.qcow2`;
const seed = `${name}-seed.img`;
const serialLog = `/var/log/libvirt/qemu/${name}-serial.log`;
const mac = "52:54:00:5c:00:01";

let lab: Lab;
let pool: SshPool;
let accel: Accelerator;
let guest: SshTarget;
let spec: DomainSpec;
const guestHostKey = generateKeyPair({ comment: `root@${name}` });
const adminKey = generateKeyPair({ comment: "skjold-test" });

beforeAll(async () => {
  lab = getLab();
  pool = createSshPool();
  accel = await probeAccelerator({ pool, target: lab.target, kernelPath: lab.image.kernelPath });
  const port = await freeLoopbackPort();
  guest = {
    label: name,
    host: "127.0.0.1",
    port,
    username: "skjold",
    privateKey: adminKey.privateKey,
    hostKeyFingerprint: guestHostKey.fingerprint,
    via: lab.target,
  };
});

afterAll(async () => {
  const ctx = { pool, target: lab.target };
  await undefineDomain({ ...ctx, name, removeStorage: true }).catch(() => undefined);
  for (const volume of [disk, seed]) await deleteVolume({ ...ctx, storagePool: lab.pool, volume }).catch(() => undefined);
  rmSync(serialLog, { force: true });
  await pool.close();
});

describe(`a guest on the lab host`, () => {
  it("boots from a clone with a cloud-init seed and answers SSH through the host", async () => {
    const ctx = { pool, target: lab.target, storagePool: lab.pool };
    await createCloneVolume({ ...ctx, baseVolume: lab.image.volume, name: disk, capacityBytes: 10 * 2 ** 30 });
    const userData = {
      users: [{ name: "skjold", shell: "/bin/bash", sudo: "ALL=(ALL) NOPASSWD:ALL", ssh_authorized_keys: [adminKey.publicKey] }],
      ssh_keys: { ed25519_private: guestHostKey.privateKey, ed25519_public: guestHostKey.publicKey },
      ssh_deletekeys: true,
    };
    await createSeedVolume({
      ...ctx,
      name: seed,
      userData: `#cloud-config\n${stringify(userData)}`,
      metaData: stringify({ "instance-id": name, "local-hostname": name }),
      networkConfig: stringify({ version: 2, ethernets: { eth0: { match: { macaddress: mac }, "set-name": "eth0", dhcp4: true } } }),
    });
    spec = {
      name,
      type: accel === "kvm" ? "kvm" : "qemu",
      vcpus: 1,
      memoryMiB: 1024,
      kernel: { kernelPath: lab.image.kernelPath, initrdPath: lab.image.initrdPath, cmdline: lab.image.cmdline },
      disk: { pool: lab.pool, volume: disk },
      seed: { pool: lab.pool, volume: seed },
      network: { mode: "user-forward", sshPort: guest.port, mac },
      serialLogPath: serialLog,
    };
    await defineDomain({ pool, target: lab.target, spec });
    expect(await getDomainState({ pool, target: lab.target, name })).toBe("shut off");

    await startDomain({ pool, target: lab.target, name });
    const answered = await waitForSsh({ pool, target: guest, timeoutMs: 300_000 });
    console.info(
      `[lab] ${accel}: SSH answered ${(answered.elapsedMs / 1000).toFixed(1)} s after virsh start (${answered.attempts} attempts)`,
    );

    expect((await pool.exec({ target: guest, argv: ["hostname"], step: "read hostname" })).stdout.trim()).toBe(name);
    const status = await pool.exec({
      target: guest,
      argv: ["cloud-init", "status", "--wait"],
      step: "cloud-init status",
      timeoutMs: 240_000,
      allowFailure: true,
    });
    expect(status.stdout).toMatch(/status: done/);
    expect((await pool.exec({ target: guest, argv: ["sudo", "-n", "id", "-u"], step: "sudo" })).stdout.trim()).toBe("0");
    expect((await listDomains({ pool, target: lab.target })).find((d) => d.name === name)?.state).toBe("running");
  });

  it("defines and starts in one round trip, and leaves a running guest running when asked again", async () => {
    const before = pool.stats().commandsRun;
    expect(await defineAndStartDomain({ pool, target: lab.target, spec })).toBe("already-running");
    expect(pool.stats().commandsRun - before).toBe(1);
    expect((await pool.exec({ target: guest, argv: ["hostname"], step: "read hostname" })).stdout.trim()).toBe(name);
  });

  it("refuses the guest when its host key is not the one seeded", async () => {
    const err = await pool
      .exec({ target: { ...guest, hostKeyFingerprint: generateKeyPair().fingerprint }, argv: ["true"], step: "jump" })
      .catch((e: AppError) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("HOST_KEY_MISMATCH");
  });

  it("shuts down gracefully, undefines with its storage and leaves nothing behind", async () => {
    expect(await shutdownDomain({ pool, target: lab.target, name, timeoutMs: 180_000 })).toBe("graceful");
    expect(await getDomainState({ pool, target: lab.target, name })).toBe("shut off");
    await undefineDomain({ pool, target: lab.target, name, removeStorage: true });
    expect(await getDomainState({ pool, target: lab.target, name })).toBeNull();
    expect((await listDomains({ pool, target: lab.target })).map((d) => d.name)).not.toContain(name);
    const left = (await listVolumes({ pool, target: lab.target, storagePool: lab.pool })).map((v) => v.name);
    expect(left.filter((v) => v.startsWith(name))).toEqual([]);
    expect(left).toContain(lab.image.volume); // the shared base image stays
    expect(rootVirsh("list", "--all", "--name")).not.toContain(name);
    expect(existsSync(`${lab.poolPath}/${disk}`)).toBe(false);
  });
});
