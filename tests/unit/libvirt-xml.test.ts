import { convert } from "xmlbuilder2";
import { describe, expect, it } from "vitest";
import { buildDomainXml, type DomainSpec } from "@/lib/libvirt/xml/domain";
import { buildVolumeXml } from "@/lib/libvirt/xml/volume";

// Build, then parse back with an XML parser and check what libvirt will read.
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const parse = (xml: string) => convert(xml, { format: "object" }) as Obj;
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const base: DomainSpec = {
  name: "vm-web-1",
  type: "qemu",
  vcpus: 2,
  memoryMiB: 2048,
  kernel: {
    kernelPath: "/var/lib/skjold-lab/images/x/vmlinuz",
    initrdPath: "/var/lib/skjold-lab/images/x/initrd.img",
    cmdline: "root=/dev/vda rw console=ttyS0",
  },
  disk: { pool: "skjold-nvme", volume: "vm-web-1.qcow2" },
  seed: { pool: "skjold-nvme", volume: "vm-web-1-seed.img" },
  network: { mode: "user-forward", sshPort: 22201, mac: "52:54:00:aa:00:01" },
};

describe("buildDomainXml", () => {
  it("builds a q35 TCG domain with direct kernel boot, the clone as vda and the seed read-only on vdb", () => {
    const d = parse(buildDomainXml(base)).domain;
    expect(d["@type"]).toBe("qemu");
    expect(d.name).toBe("vm-web-1");
    expect(d.memory).toEqual({ "@unit": "MiB", "#": "2048" });
    expect(d.os.type["@machine"]).toBe("q35");
    expect([d.os.kernel, d.os.initrd, d.os.cmdline]).toEqual([base.kernel!.kernelPath, base.kernel!.initrdPath, base.kernel!.cmdline]);
    const disks = list<Obj>(d.devices.disk);
    expect(disks.map((x) => [x.target["@dev"], x.target["@bus"], x.source["@volume"], "readonly" in x])).toEqual([
      ["vda", "virtio", "vm-web-1.qcow2", false],
      ["vdb", "virtio", "vm-web-1-seed.img", true],
    ]);
    expect(d.devices.serial["@type"]).toBe("pty");
    expect(d.cpu).toBeUndefined();
  });

  it("boots from the disk's own boot loader with SeaBIOS on the serial console too, so a disk without one says so there", () => {
    const { kernel: _kernel, ...fromDisk } = base;
    const d = parse(buildDomainXml(fromDisk)).domain;
    expect(d.os.boot).toEqual({ "@dev": "hd" });
    expect(d.os.bios).toEqual({ "@useserial": "yes" });
    expect(d.os.kernel).toBeUndefined();
    expect(parse(buildDomainXml(base)).domain.os.bios).toBeUndefined();
  });

  it("forwards 127.0.0.1:PORT to the guest's port 22 with a virtio-net-pci at an explicit PCI slot", () => {
    const d = parse(buildDomainXml(base)).domain;
    expect(d["@xmlns:qemu"]).toBe("http://libvirt.org/schemas/domain/qemu/1.0");
    const args = list<Obj>(d["qemu:commandline"]["qemu:arg"]).map((a) => a["@value"]);
    expect(args).toEqual([
      "-netdev",
      "user,id=skjnet0,hostfwd=tcp:127.0.0.1:22201-:22",
      "-device",
      "virtio-net-pci,netdev=skjnet0,bus=pcie.0,addr=0x1b,mac=52:54:00:aa:00:01",
    ]);
    expect(d.devices.interface).toBeUndefined();
  });

  it("bridges a production guest and passes CPU through under KVM", () => {
    const d = parse(buildDomainXml({ ...base, type: "kvm", network: { mode: "bridge", bridge: "br-tenants" } })).domain;
    expect(d.devices.interface["@type"]).toBe("bridge");
    expect(d.devices.interface.source["@bridge"]).toBe("br-tenants");
    expect(d.cpu["@mode"]).toBe("host-passthrough");
    expect(d["qemu:commandline"]).toBeUndefined();
  });

  it("escapes text instead of letting it become markup", () => {
    const xml = buildDomainXml({ ...base, description: `</description><devices><disk/></devices><x a="1">&` });
    const d = parse(xml).domain;
    const unescapeXml = (t: string) => t.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"').replaceAll("&amp;", "&");
    expect(unescapeXml(d.description)).toBe(`</description><devices><disk/></devices><x a="1">&`);
    expect(list(d.devices.disk)).toHaveLength(2); // no injected disk
    expect(d.x).toBeUndefined();
  });

  it("rejects hostile or impossible input before any XML exists", () => {
    const bad: Array<Partial<DomainSpec>> = [
      { name: "-x" },
      { name: "a b" },
      { name: "$(reboot)" },
      { disk: { pool: "skjold-nvme", volume: "../../etc/shadow" } },
      { kernel: { kernelPath: "relative/vmlinuz", cmdline: "x" } },
      { kernel: { kernelPath: "/boot/vmlinuz", cmdline: "a\nb" } },
      { network: { mode: "user-forward", sshPort: 22 } },
      { network: { mode: "bridge", bridge: "br0;reboot" } },
      { memoryMiB: 1 },
    ];
    for (const b of bad) expect(() => buildDomainXml({ ...base, ...b } as DomainSpec), JSON.stringify(b)).toThrow();
  });
});

describe("buildVolumeXml", () => {
  it("describes a qcow2 clone with its backing image", () => {
    const v = parse(
      buildVolumeXml({
        name: "vm-web-1.qcow2",
        capacityBytes: 10 * 2 ** 30,
        format: "qcow2",
        backing: { path: "/var/lib/skjold-lab/pool/base.qcow2", format: "qcow2" },
      }),
    ).volume;
    expect(v.name).toBe("vm-web-1.qcow2");
    expect(v.capacity).toEqual({ "@unit": "bytes", "#": String(10 * 2 ** 30) });
    expect(v.target.format["@type"]).toBe("qcow2");
    expect(v.target.compat).toBe("1.1"); // qcow2 v3: it can hold the dirty bitmaps of incremental backups
    expect(v.target.permissions.mode).toBe("0600");
    expect(v.backingStore.path).toBe("/var/lib/skjold-lab/pool/base.qcow2");
  });
  it("refuses a backing image for raw, and bad names", () => {
    expect(() => buildVolumeXml({ name: "a.img", capacityBytes: 1, format: "raw", backing: { path: "/a", format: "qcow2" } })).toThrow();
    expect(() => buildVolumeXml({ name: "--pool", capacityBytes: 1, format: "raw" })).toThrow();
  });
});

describe("accelerator probe domain", () => {
  it("ends itself when its kernel reboots, so a dead prober leaves nothing running", async () => {
    const { buildDomainXml } = await import("@/lib/libvirt/xml/domain");
    const probe = buildDomainXml({
      name: "skjold-probe-qemu-1",
      type: "qemu",
      vcpus: 1,
      memoryMiB: 128,
      kernel: { kernelPath: "/var/lib/x/vmlinuz", cmdline: "console=ttyS0 panic=-1" },
      onReboot: "destroy",
    });
    expect(probe).toContain("<on_reboot>destroy</on_reboot>");
    const vm = buildDomainXml({ name: "skj-1", type: "qemu", vcpus: 1, memoryMiB: 512 });
    expect(vm).toContain("<on_reboot>restart</on_reboot>");
  });
});

describe("domain NICs on Skjold's own taps", () => {
  it("opens the persistent tap as it is (managed='no'), with the guest's MAC", () => {
    const xml = buildDomainXml({
      name: "skj-0123456789ab",
      type: "qemu",
      vcpus: 1,
      memoryMiB: 512,
      taps: [{ dev: "sk0123456789ab", mac: "52:54:00:01:02:03" }],
    });
    expect(xml).toContain('<interface type="ethernet">');
    expect(xml).toContain('<target dev="sk0123456789ab" managed="no"/>');
    expect(xml).toContain('<mac address="52:54:00:01:02:03"/>');
    expect(() =>
      buildDomainXml({
        name: "skj-0123456789ab",
        type: "qemu",
        vcpus: 1,
        memoryMiB: 512,
        taps: [{ dev: "eth0", mac: "52:54:00:01:02:03" }],
      }),
    ).toThrow();
  });
});
