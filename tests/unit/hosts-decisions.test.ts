import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import { slugOfBaseVolume, suggestBootFiles } from "@/lib/hosts/boot-files";
import { summarizeCapacity } from "@/lib/hosts/capacity";
import { computeDrift, parseDomainDisks } from "@/lib/hosts/drift";
import { judgeHostFailure } from "@/lib/hosts/record-host-failure";
import { AddHostInput } from "@/lib/hosts/schemas";

const vm = (
  o: Partial<{ id: string; name: string; domainName: string; state: string; diskVolume: string | null; seedVolume: string | null }>,
) => ({
  id: "v",
  name: "web",
  domainName: "skj-web",
  state: "RUNNING",
  diskVolume: "skj-web-disk.qcow2",
  seedVolume: "skj-web-seed.img",
  ...o,
});
const vol = (name: string) => ({ pool: "nvme", name, path: `/p/${name}` });

describe("computeDrift", () => {
  const base = { domains: [], domainDisks: {}, volumes: [], vms: [], imageVolumes: [], adopted: { domains: [], volumes: [] } };

  it("reports nothing when libvirt and the database agree", () => {
    const d = computeDrift({
      ...base,
      domains: [{ name: "skj-web", state: "running" }],
      volumes: [vol("skj-web-disk.qcow2"), vol("skj-web-seed.img"), vol("debian-12-base-ab12cd34.qcow2")],
      vms: [vm({})],
      imageVolumes: [{ pool: "nvme", volume: "debian-12-base-ab12cd34.qcow2" }],
    });
    expect(d).toEqual({ unknownDomains: [], missingDomains: [], orphanVolumes: [], missingVolumes: [], unregisteredImages: [] });
  });

  it("knows a backup target's files and a live VM's backup scratch file; a deleted VM's scratch file is an orphan", () => {
    const d = computeDrift({
      ...base,
      domains: [{ name: "skj-web", state: "running" }],
      volumes: [
        vol("skj-web-disk.qcow2"),
        vol("skj-web-seed.img"),
        vol("skj-web-bk-0123456789abcdef.qcow2"),
        vol("skjold-backup-aa-bb.qcow2"),
        vol("skj-old-bk-0123456789abcdef.qcow2"),
      ],
      vms: [vm({}), vm({ id: "o", domainName: "skj-old", state: "DELETED", diskVolume: null, seedVolume: null })],
      backupVolumes: [{ pool: "nvme", volume: "skjold-backup-aa-bb.qcow2" }],
    });
    expect(d.orphanVolumes.map((v) => v.name)).toEqual(["skj-old-bk-0123456789abcdef.qcow2"]);
    expect(d.missingVolumes).toEqual([]);
  });

  it("marks only skj- objects cleanable, ignores the probe's transient domains and keeps base images out of the orphans", () => {
    const d = computeDrift({
      ...base,
      domains: [
        { name: "skj-x", state: "shut off" },
        { name: "customer-db", state: "running" },
        { name: "skjold-probe-qemu-1a2b", state: "running" },
      ],
      domainDisks: { "skj-x": ["skj-x.qcow2", "/p/debian-12-base-ab12cd34.qcow2"], "customer-db": ["/p/db.qcow2"] },
      volumes: [vol("skj-x.qcow2"), vol("db.qcow2"), vol("skj-left.qcow2"), vol("notes.raw"), vol("debian-12-base-ab12cd34.qcow2")],
    });
    expect(d.unknownDomains).toEqual([
      {
        name: "skj-x",
        state: "shut off",
        disks: ["skj-x.qcow2", "/p/debian-12-base-ab12cd34.qcow2"],
        volumes: [{ pool: "nvme", name: "skj-x.qcow2" }],
        cleanable: true,
      },
      { name: "customer-db", state: "running", disks: ["/p/db.qcow2"], volumes: [], cleanable: false },
    ]);
    expect(d.orphanVolumes.map((v) => [v.name, v.cleanable])).toEqual([
      ["skj-left.qcow2", true],
      ["notes.raw", false],
    ]);
    expect(d.unregisteredImages).toEqual([]); // the base image is in use by a domain
  });

  it("reports VMs whose domain or disk vanished, and adopted objects no more", () => {
    const d = computeDrift({
      ...base,
      domains: [{ name: "old-thing", state: "running" }],
      volumes: [vol("skj-web-seed.img"), vol("kept.qcow2")],
      vms: [
        vm({}),
        vm({ id: "p", domainName: "skj-new", state: "PROVISIONING", diskVolume: null, seedVolume: null }),
        vm({ id: "d", domainName: "skj-old", state: "DELETED" }),
      ],
      adopted: { domains: ["old-thing"], volumes: ["nvme/kept.qcow2"] },
    });
    expect(d.missingDomains).toEqual([{ vmId: "v", vmName: "web", domainName: "skj-web", state: "RUNNING" }]);
    expect(d.missingVolumes).toEqual([{ pool: "", name: "skj-web-disk.qcow2", owner: "VM web" }]);
    expect(d.unknownDomains).toEqual([]);
    expect(d.orphanVolumes).toEqual([]);
  });

  it("reads domblklist: paths for files, names for pool volumes, nothing for empty cdroms", () => {
    expect(
      parseDomainDisks(" file   disk   vda   /p/a.qcow2\n volume disk vdb skj-seed.img\n file cdrom sda -\n volume disk vdc ../etc\n"),
    ).toEqual(["/p/a.qcow2", "skj-seed.img"]);
  });
});

describe("host decisions", () => {
  it("sums what VMs hold; failed and deleted ones hold nothing", () => {
    const c = summarizeCapacity({
      host: { cpuCount: 8, memoryMb: 16384, vcpuOvercommit: 2 },
      pools: [{ capacityBytes: BigInt(100), availableBytes: BigInt(40) }],
      vms: [
        { state: "RUNNING", vcpus: 2, memoryMb: 2048, diskGb: 20 },
        { state: "FAILED", vcpus: 4, memoryMb: 4096, diskGb: 50 },
        { state: "DELETED", vcpus: 4, memoryMb: 1, diskGb: 1 },
      ],
    });
    expect(c).toEqual({
      vcpus: { allocated: 2, total: 16 },
      memoryMb: { allocated: 2048, total: 16384 },
      diskGb: { allocated: 20, totalBytes: 100, availableBytes: 40 },
      vms: 1,
    });
  });

  it("turns SSH failures into host states; other errors say nothing about the host", () => {
    expect(judgeHostFailure(new AppError("HOST_KEY_MISMATCH", "x", { details: { presented: "SHA256:abc" } }))).toEqual({
      status: "KEY_MISMATCH",
      presented: "SHA256:abc",
    });
    expect(judgeHostFailure(new AppError("HOST_UNREACHABLE", "x", { details: { reason: "ECONNREFUSED" } }))).toEqual({ status: "OFFLINE" });
    expect(judgeHostFailure(new AppError("HOST_UNREACHABLE", "x", { details: { reason: "libvirtd-down" } }))).toEqual({ status: "ERROR" });
    expect(judgeHostFailure(new AppError("HOST_COMMAND_FAILED", "x"))).toBeNull();
    expect(judgeHostFailure(new Error("x"))).toBeNull();
  });

  it("finds an image's kernel and slug by the build script's layout", () => {
    const files = ["/lab/images/b355c24d306f9a01/vmlinuz", "/lab/images/b355c24d306f9a01/initrd.img", "/lab/images/ffff0000/vmlinuz"];
    expect(suggestBootFiles({ volume: "debian-12-base-b355c24d.qcow2", files })).toEqual({ kernelPath: files[0], initrdPath: files[1] });
    expect(suggestBootFiles({ volume: "debian-12-base-00000000.qcow2", files })).toEqual({ kernelPath: null, initrdPath: null });
    expect(slugOfBaseVolume("debian-12-base-b355c24d.qcow2")).toBe("debian-12");
    expect(slugOfBaseVolume("notes.raw")).toBeNull();
  });

  it("refuses hostile host input before anything connects", () => {
    const ok = { name: "osl-kvm-01", regionCode: "osl1", address: "127.0.0.1", username: "skjold", keyMode: "generate", uplink: "eth0" };
    expect(AddHostInput.safeParse(ok).success).toBe(true);
    for (const bad of [
      { address: "127.0.0.1;reboot" },
      { address: "-oProxyCommand=sh" },
      { username: "root;id" },
      { name: "../etc" },
      { port: "0" },
      { keyMode: "paste" },
      { privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----" },
      { uplink: "eth0; reboot" },
      { uplink: "" },
      { networkMode: "BRIDGED" },
      { networkMode: "BRIDGED", bridge: "a-name-far-too-long" },
      { networkMode: "NAT" },
    ]) {
      expect(AddHostInput.safeParse({ ...ok, ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
