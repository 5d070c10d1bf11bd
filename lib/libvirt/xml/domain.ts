import { create } from "xmlbuilder2";
import { z } from "zod";
import { DomainNameSchema, PoolNameSchema, RemotePathSchema, VolumeNameSchema } from "../../ssh/quote";

const QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0";
// virtio-net-pci added through <qemu:commandline> must sit at a PCI slot libvirt does not hand out;
// on q35 libvirt fills pcie.0 from slot 1 upwards (root ports at 2+), 0x1f is the LPC bridge.
const USER_NET_PCI_ADDR = "0x1b";

const CmdlineSchema = z
  .string()
  .max(1024)
  .regex(/^[\x20-\x7e]*$/, "printable ASCII only");

const NetworkSpecSchema = z.discriminatedUnion("mode", [
  z.object({
    mode: z.literal("user-forward"),
    /** host port on 127.0.0.1 forwarded to the guest's port 22 */
    sshPort: z.number().int().min(1024).max(65535),
    mac: z
      .string()
      .regex(/^52:54:00(:[0-9a-f]{2}){3}$/)
      .optional(),
  }),
  z.object({
    mode: z.literal("bridge"),
    bridge: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,14}$/, "must be a Linux interface name"),
    mac: z
      .string()
      .regex(/^52:54:00(:[0-9a-f]{2}){3}$/)
      .optional(),
  }),
]);

/** A tap Skjold made on the host (routes, bridge port and anti-spoofing filter already on it). */
const TapNicSchema = z.object({
  dev: z.string().regex(/^s[a-z][0-9a-f]{12}$/, "must be a Skjold tap name"),
  mac: z.string().regex(/^52:54:00(:[0-9a-f]{2}){3}$/),
});

const VolumeRefSchema = z.object({ pool: PoolNameSchema, volume: VolumeNameSchema });

const DomainSpecSchema = z.object({
  name: DomainNameSchema,
  type: z.enum(["kvm", "qemu"]),
  vcpus: z.number().int().min(1).max(256),
  memoryMiB: z
    .number()
    .int()
    .min(64)
    .max(4 * 1024 * 1024),
  /** direct kernel boot; omit to boot from the disk's bootloader */
  kernel: z.object({ kernelPath: RemotePathSchema, initrdPath: RemotePathSchema.optional(), cmdline: CmdlineSchema }).optional(),
  disk: VolumeRefSchema.extend({ format: z.enum(["qcow2", "raw"]).default("qcow2") }).optional(),
  seed: VolumeRefSchema.optional(),
  network: NetworkSpecSchema.optional(),
  /** NICs on persistent taps (`managed='no'`): libvirt opens them and leaves them as they are */
  taps: z.array(TapNicSchema).max(8).default([]),
  /** serial console to a TCP socket on the host's 127.0.0.1 (the accelerator probe reads it) */
  serialTcpPort: z.number().int().min(1024).max(65535).optional(),
  /** serial console copied to this file on the host (root-readable; for diagnosis) */
  serialLogPath: RemotePathSchema.optional(),
  description: z.string().max(500).optional(),
  /** "destroy" makes a guest that reboots end instead (the probe: its kernel panics, then reboots) */
  onReboot: z.enum(["restart", "destroy"]).default("restart"),
});

export type DomainSpec = z.input<typeof DomainSpecSchema>;

/** Libvirt domain XML for a Skjold VM (q35, virtio disks, serial console), built with xmlbuilder2. */
export function buildDomainXml(input: DomainSpec): string {
  const spec = DomainSpecSchema.parse(input);
  const root = create({ version: "1.0" }).ele("domain", { type: spec.type, "xmlns:qemu": QEMU_NS });
  root.ele("name").txt(spec.name);
  if (spec.description) root.ele("description").txt(spec.description);
  root.ele("memory", { unit: "MiB" }).txt(String(spec.memoryMiB));
  root.ele("vcpu", { placement: "static" }).txt(String(spec.vcpus));
  const os = root.ele("os");
  os.ele("type", { arch: "x86_64", machine: "q35" }).txt("hvm");
  if (spec.kernel) {
    os.ele("kernel").txt(spec.kernel.kernelPath);
    if (spec.kernel.initrdPath) os.ele("initrd").txt(spec.kernel.initrdPath);
    os.ele("cmdline").txt(spec.kernel.cmdline);
  } else {
    os.ele("boot", { dev: "hd" });
    // SeaBIOS on the serial console too (libvirt: `-machine graphics=off`), so "No bootable device"
    // reaches the console Skjold reads while the guest boots (lib/vms/provision/watch-boot-console.ts).
    os.ele("bios", { useserial: "yes" });
  }
  const features = root.ele("features");
  features.ele("acpi");
  features.ele("apic");
  if (spec.type === "kvm") root.ele("cpu", { mode: "host-passthrough", check: "none" });
  root.ele("clock", { offset: "utc" });
  root.ele("on_poweroff").txt("destroy");
  root.ele("on_reboot").txt(spec.onReboot);
  root.ele("on_crash").txt("destroy");

  const devices = root.ele("devices");
  if (spec.disk) {
    const d = devices.ele("disk", { type: "volume", device: "disk" });
    d.ele("driver", { name: "qemu", type: spec.disk.format, discard: "unmap" });
    d.ele("source", { pool: spec.disk.pool, volume: spec.disk.volume });
    d.ele("target", { dev: "vda", bus: "virtio" });
  }
  if (spec.seed) {
    const s = devices.ele("disk", { type: "volume", device: "disk" });
    s.ele("driver", { name: "qemu", type: "raw" });
    s.ele("source", { pool: spec.seed.pool, volume: spec.seed.volume });
    s.ele("target", { dev: "vdb", bus: "virtio" });
    s.ele("readonly");
  }
  if (spec.network?.mode === "bridge") {
    const n = devices.ele("interface", { type: "bridge" });
    n.ele("source", { bridge: spec.network.bridge });
    if (spec.network.mac) n.ele("mac", { address: spec.network.mac });
    n.ele("model", { type: "virtio" });
  }
  for (const nic of spec.taps) {
    const n = devices.ele("interface", { type: "ethernet" });
    n.ele("mac", { address: nic.mac });
    n.ele("target", { dev: nic.dev, managed: "no" });
    n.ele("model", { type: "virtio" });
  }
  const serial = spec.serialTcpPort ? devices.ele("serial", { type: "tcp" }) : devices.ele("serial", { type: "pty" });
  if (spec.serialTcpPort) {
    serial.ele("source", { mode: "bind", host: "127.0.0.1", service: String(spec.serialTcpPort) });
    serial.ele("protocol", { type: "raw" });
  }
  if (spec.serialLogPath) serial.ele("log", { file: spec.serialLogPath, append: "off" });
  serial.ele("target", { port: "0" });
  devices.ele("console", { type: spec.serialTcpPort ? "tcp" : "pty" }).ele("target", { type: "serial", port: "0" });
  devices.ele("memballoon", { model: "virtio" });
  devices.ele("rng", { model: "virtio" }).ele("backend", { model: "random" }).txt("/dev/urandom");

  if (spec.network?.mode === "user-forward") {
    // libvirt 9 has no passt backend: user-mode networking goes straight to qemu.
    const mac = spec.network.mac ? `,mac=${spec.network.mac}` : "";
    const cl = root.ele(QEMU_NS, "qemu:commandline");
    for (const value of [
      "-netdev",
      `user,id=skjnet0,hostfwd=tcp:127.0.0.1:${spec.network.sshPort}-:22`,
      "-device",
      `virtio-net-pci,netdev=skjnet0,bus=pcie.0,addr=${USER_NET_PCI_ADDR}${mac}`,
    ]) {
      cl.ele(QEMU_NS, "qemu:arg", { value });
    }
  }
  return root.end({ prettyPrint: true });
}
