import { execFileSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import { discoverHost } from "@/lib/libvirt/discover";
import { probeAccelerator, probeDomainName } from "@/lib/libvirt/probe";
import { openVirshSession } from "@/lib/libvirt/virsh";
import { buildDomainXml } from "@/lib/libvirt/xml/domain";
import { createCloneVolume, createSeedVolume, deleteVolume, listVolumes } from "@/lib/libvirt/volumes";
import { createSshPool, type SshPool } from "@/lib/ssh/pool";
import { getLab, rootVirsh, startLibvirtd, stopLibvirtd, type Lab } from "@/tests/helpers/lab";

// Host discovery and volumes on the lab host, over real SSH and virsh. No guest boots here except
// the accelerator probe's tiny kernel-only domain.

let lab: Lab;
let pool: SshPool;
const run = `t${process.pid}`;

beforeAll(() => {
  lab = getLab();
  pool = createSshPool();
});
afterAll(() => pool.close());

async function caught(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("discoverHost", () => {
  it("reports versions, CPUs, memory, the pool with its backing disk, images and a working accelerator", async () => {
    const facts = await discoverHost({ pool, target: lab.target, probeKernelPath: lab.image.kernelPath });
    console.info(`[lab] accelerator: ${facts.accelerator}; ${facts.pools.map((p) => `${p.name}: ${p.storageNote}`).join("; ")}`);
    expect(facts.libvirtVersion).toBe(rootVirsh("version").match(/Using library: libvirt (\S+)/)?.[1]);
    expect(facts.qemuVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(facts.cpuCount).toBe(Number(execFileSync("nproc", ["--all"], { encoding: "utf8" }).trim()));
    expect(facts.memoryMb).toBeGreaterThan(512);
    expect(facts.cpuModel.length).toBeGreaterThan(0);
    const nvmePool = facts.pools.find((p) => p.name === lab.pool);
    expect(nvmePool).toMatchObject({ state: "running", type: "dir", path: lab.poolPath });
    expect(nvmePool!.capacityBytes).toBeGreaterThan(nvmePool!.availableBytes);
    expect(nvmePool!.storageNote).toMatch(nvmePool!.nvme ? /^NVMe: / : /^not NVMe: /);
    expect(facts.images.map((i) => i.name)).toContain(lab.image.volume);
    expect(["kvm", "tcg"]).toContain(facts.accelerator);
    expect(rootVirsh("list", "--all", "--name")).not.toMatch(/skjold-probe/); // the probe cleaned up
  });

  it("names host and step when libvirtd is down, and works again once it is back", async () => {
    await stopLibvirtd();
    try {
      const err = await caught(discoverHost({ pool, target: lab.target }));
      expect(err.code).toBe("HOST_UNREACHABLE");
      expect(err.transient).toBe(true);
      expect(err.message).toBe(
        "lab-host: discover host: libvirtd is not running or not accepting connections on qemu:///system (start libvirtd on the host)",
      );
    } finally {
      await startLibvirtd();
    }
    expect((await discoverHost({ pool, target: lab.target })).pools.length).toBeGreaterThan(0);
  });
});

describe("accelerator probe domains", () => {
  // A kernel-only domain as the probe makes them, written where the lab's SSH user can read it.
  function probeLikeXml(name: string): string {
    const dir = mkdtempSync("/tmp/skjold-probe-test-");
    chmodSync(dir, 0o755);
    const file = `${dir}/d.xml`;
    writeFileSync(
      file,
      buildDomainXml({
        name,
        type: "qemu",
        vcpus: 1,
        memoryMiB: 128,
        kernel: { kernelPath: lab.image.kernelPath, cmdline: "console=ttyS0" },
        serialTcpPort: randomInt(40_000, 49_999),
        onReboot: "destroy",
      }),
      { mode: 0o644 },
    );
    return file;
  }
  const domainNames = () =>
    rootVirsh("list", "--all", "--name")
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);

  it("are swept by the next probe once no probe can own them, and a running probe's is left alone", async () => {
    const leftovers = ["skjold-probe-kvm-0a1b2c3d", probeDomainName("kvm", Date.now() - 20 * 60_000)];
    const young = probeDomainName("qemu");
    const files = [...leftovers, young].map((name) => {
      const file = probeLikeXml(name);
      rootVirsh("create", "--paused", file); // paused: it costs nothing while it waits
      return file;
    });
    try {
      expect(domainNames()).toEqual(expect.arrayContaining([...leftovers, young]));
      expect(["kvm", "tcg"]).toContain(await probeAccelerator({ pool, target: lab.target, kernelPath: lab.image.kernelPath }));
      const after = domainNames();
      expect(after).toContain(young);
      expect(after.filter((n) => n.startsWith("skjold-probe-") && n !== young)).toEqual([]);
    } finally {
      execFileSync("virsh", ["-q", "-c", "qemu:///system", "destroy", young], { stdio: "ignore" });
      for (const f of files) rmSync(f.replace(/\/d\.xml$/, ""), { recursive: true, force: true });
    }
  });

  it("die with the virsh session that made them, also when its SSH connection drops", async () => {
    const own = createSshPool();
    const name = probeDomainName("qemu");
    const file = probeLikeXml(name);
    try {
      const session = await openVirshSession({ pool: own, target: lab.target, step: "autodestroy test" });
      session.send(["create", "--autodestroy", "--paused", file]);
      session.send(["domstate", name]);
      const paused = await session.waitFor((o) => /^paused\s*$/m.test(o.stdout), 30_000);
      expect(paused, JSON.stringify(session.output())).toBe(true);
      expect(domainNames()).toContain(name);
      await own.close(); // the prober's connection goes away without a word
      for (let i = 0; i < 40 && domainNames().includes(name); i++) await new Promise((r) => setTimeout(r, 250));
      expect(domainNames()).not.toContain(name);
    } finally {
      if (domainNames().includes(name)) rootVirsh("destroy", name);
      rmSync(file.replace(/\/d\.xml$/, ""), { recursive: true, force: true });
    }
  });

  it("refuses a session command that is not plain words, before anything reaches the host", async () => {
    const session = await openVirshSession({ pool, target: lab.target, step: "hostile session" });
    try {
      for (const bad of ["a;reboot", "$(id)", "two words", "x\ny"])
        expect(() => session.send(["domstate", bad])).toThrow(/plain words only/);
    } finally {
      await session.close();
    }
  });
});

describe("volumes", () => {
  const ctx = () => ({ pool, target: lab.target, storagePool: lab.pool });

  it("clones the base image copy-on-write, idempotently, and deletes it", async () => {
    const name = `${run}-clone.qcow2`;
    const made = await createCloneVolume({ ...ctx(), baseVolume: lab.image.volume, name, capacityBytes: 10 * 2 ** 30 });
    try {
      expect(made).toEqual({ name, path: `${lab.poolPath}/${name}`, created: true });
      const info = JSON.parse(execFileSync("qemu-img", ["info", "--output=json", "-U", made.path], { encoding: "utf8" }));
      expect(info["backing-filename"]).toBe(lab.image.path);
      expect(info["virtual-size"]).toBe(10 * 2 ** 30);
      expect(info["actual-size"]).toBeLessThan(2 * 2 ** 20); // no full copy of the ~450 MB base
      const listed = (await listVolumes(ctx())).find((v) => v.name === name);
      expect(listed?.capacityBytes).toBe(10 * 2 ** 30);
      expect((await createCloneVolume({ ...ctx(), baseVolume: lab.image.volume, name, capacityBytes: 10 * 2 ** 30 })).created).toBe(false);
    } finally {
      await deleteVolume({ ...ctx(), volume: name });
    }
    expect((await listVolumes(ctx())).map((v) => v.name)).not.toContain(name);
  });

  it("fails cleanly when the base image is missing, leaving nothing", async () => {
    const name = `${run}-orphan.qcow2`;
    const err = await caught(createCloneVolume({ ...ctx(), baseVolume: "no-such-base.qcow2", name, capacityBytes: 2 ** 30 }));
    expect(err.code).toBe("NOT_FOUND");
    expect((await listVolumes(ctx())).map((v) => v.name)).not.toContain(name);
  });

  it("clones in one round trip when the base image's path is known, and refuses a base that is not there", async () => {
    const name = `${run}-hinted.qcow2`;
    const before = pool.stats().commandsRun;
    const made = await createCloneVolume({
      ...ctx(),
      baseVolume: lab.image.volume,
      basePath: lab.image.path,
      name,
      capacityBytes: 2 ** 30,
    });
    try {
      expect(pool.stats().commandsRun - before).toBe(1);
      expect(made).toEqual({ name, path: `${lab.poolPath}/${name}`, created: true });
      const info = JSON.parse(execFileSync("qemu-img", ["info", "--output=json", "-U", made.path], { encoding: "utf8" }));
      expect(info["backing-filename"]).toBe(lab.image.path);
    } finally {
      await deleteVolume({ ...ctx(), volume: name });
    }
    const other = `${run}-nobase.qcow2`;
    const err = await caught(
      createCloneVolume({
        ...ctx(),
        baseVolume: "gone.qcow2",
        basePath: `${lab.poolPath}/gone.qcow2`,
        name: other,
        capacityBytes: 2 ** 30,
      }),
    );
    expect(err.code).toBe("NOT_FOUND");
    expect((await listVolumes(ctx())).map((v) => v.name)).not.toContain(other);
  });

  it("refuses hostile names before anything reaches the host", async () => {
    const before = pool.stats().commandsRun;
    for (const name of ["$(reboot).qcow2", "-rf", "../../etc/passwd", "a b.qcow2"]) {
      const err = await caught(createCloneVolume({ ...ctx(), baseVolume: lab.image.volume, name, capacityBytes: 2 ** 30 }));
      expect(err.code).toBe("VALIDATION");
    }
    expect(pool.stats().commandsRun).toBe(before);
  });

  it("builds a NoCloud seed volume that holds the given files", async () => {
    const name = `${run}-seed.img`;
    const seed = await createSeedVolume({
      ...ctx(),
      name,
      userData: "#cloud-config\nhostname: probe-x\n",
      metaData: "instance-id: i-1\n",
      networkConfig: "version: 2\n",
    });
    try {
      const iso = execFileSync("isoinfo", ["-d", "-i", seed.path], { encoding: "utf8" });
      expect(iso).toMatch(/Volume id: cidata/);
      const files = execFileSync("isoinfo", ["-f", "-R", "-i", seed.path], { encoding: "utf8" });
      expect(files.split("\n").sort()).toEqual(expect.arrayContaining(["/meta-data", "/network-config", "/user-data"]));
      expect(execFileSync("isoinfo", ["-R", "-x", "/user-data", "-i", seed.path], { encoding: "utf8" })).toBe(
        "#cloud-config\nhostname: probe-x\n",
      );
      // Built again (the step runs again): one round trip, and the new files replace the old seed.
      const before = pool.stats().commandsRun;
      await createSeedVolume({ ...ctx(), name, userData: "#cloud-config\nhostname: probe-y\n", metaData: "instance-id: i-2\n" });
      expect(pool.stats().commandsRun - before).toBe(1);
      expect(execFileSync("isoinfo", ["-R", "-x", "/user-data", "-i", seed.path], { encoding: "utf8" })).toBe(
        "#cloud-config\nhostname: probe-y\n",
      );
      expect(execFileSync("isoinfo", ["-f", "-R", "-i", seed.path], { encoding: "utf8" })).not.toContain("/network-config");
    } finally {
      await deleteVolume({ ...ctx(), volume: name });
    }
  });

  it("leaves no half-made volume when the pool is full", async () => {
    const dir = `/var/lib/skjold-lab/${run}-full`;
    const fullPool = `${run}-full`;
    mkdirSync(dir, { recursive: true });
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=8k,mode=755", "tmpfs", dir]);
    try {
      rootVirsh("pool-create-as", fullPool, "dir", "--target", dir);
      const err = await caught(
        createSeedVolume({
          pool,
          target: lab.target,
          storagePool: fullPool,
          name: "seed.img",
          userData: "#cloud-config\n",
          metaData: "instance-id: x\n",
        }),
      );
      expect(err.code).toBe("HOST_COMMAND_FAILED");
      // libvirt either reports the full disk, or reports success and the byte check finds the truncated copy.
      expect(err.message).toMatch(
        /^lab-host: build seed seed\.img: (virsh vol-upload failed: .*No space left on device|the uploaded seed in pool \S+ does not match what was built \(is the pool full\?\))/,
      );
      expect(await listVolumes({ pool, target: lab.target, storagePool: fullPool })).toEqual([]);
      expect(execFileSync("ls", ["-A", dir], { encoding: "utf8" })).toBe("");
    } finally {
      rootVirsh("pool-destroy", fullPool);
      execFileSync("umount", [dir]);
      rmdirSync(dir);
    }
  });
});
