import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseBootSignature } from "@/lib/hosts/boot-sector";
import { RegisterImageInput } from "@/lib/hosts/schemas";
import { labAddressPools } from "@/lib/lab/create-lab-address-pools";
import { readLabFacts } from "@/lib/lab/lab-facts";
import { CreateIpPoolInput } from "@/lib/network/pool-input";
import { checkPoolShape } from "@/lib/network/pool-rules";

// What `qemu-io -r -c "read -v 510 2"` prints (qemu 7.2, Debian 12), for a disk with and without a boot sector.
const QEMU_IO = (bytes: string) =>
  `000001fe:  ${bytes}  ..\nread 2/2 bytes at offset 510\n2 bytes, 1 ops; 00.00 sec (12.104 KiB/sec and 6197.1307 ops/sec)\n`;

describe("boot sector check", () => {
  it("finds the 0x55 0xAA signature and nothing else", () => {
    expect(parseBootSignature(QEMU_IO("55 aa"))).toBe(true);
    expect(parseBootSignature(QEMU_IO("00 00"))).toBe(false);
    expect(parseBootSignature(QEMU_IO("aa 55"))).toBe(false);
    expect(parseBootSignature("read failed: Input/output error\n")).toBeNull();
  });

  it("refuses an initrd without a kernel at input, naming the field", () => {
    const base = {
      hostId: "7b1f6a2e-5c7d-4d1e-9f3a-2b6c8d9e0f11",
      imageSlug: "debian-12",
      pool: "skjold-nvme",
      volume: "debian-12-base-ab12cd34.qcow2",
    };
    const r = RegisterImageInput.safeParse({ ...base, initrdPath: "/var/lib/skjold-lab/images/x/initrd.img" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ["kernelPath"] });
    expect(RegisterImageInput.safeParse(base).success).toBe(true); // a disk with a boot loader needs no kernel
  });
});

const LAB_JSON = {
  address: "127.0.0.1",
  port: 2201,
  username: "skjold-lab",
  publicKey: "ssh-ed25519 AAAA lab",
  hostKeyFingerprint: `SHA256:${"a".repeat(43)}`,
  pool: "skjold-nvme",
  poolPath: "/var/lib/skjold-lab/pool",
  image: { volume: "debian-12-base-ab12cd34.qcow2", sha256: "0".repeat(64), kernelPath: "/k/vmlinuz", initrdPath: "/k/initrd.img" },
};
const netHost = (i: number, mode: "routed" | "bridged") => ({
  name: `lab-h${i}`,
  netns: `skjlab-h${i}`,
  address: `203.0.113.${234 + i}`,
  port: 22,
  mode,
  hostKeyFingerprint: `SHA256:${String(i).repeat(43)}`,
  pool: "skjold-nvme",
  poolPath: `/var/lib/skjold-lab/hosts/h${i}/pool`,
  uplink: mode === "routed" ? "uplink" : null,
  bridge: mode === "bridged" ? "br0" : null,
  ipv4: mode === "routed" ? { cidr: "203.0.113.128/28", gateway: null } : { cidr: "203.0.113.192/27", gateway: "203.0.113.193" },
  ipv6: mode === "routed" ? { cidr: "2001:db8:1100::/56", gateway: null } : { cidr: "2001:db8:0:1::/64", gateway: "2001:db8:0:1::1" },
});

function labDir(opts: { net?: boolean; image?: boolean } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "skjold-lab-facts-"));
  const key = path.join(dir, "client_ed25519");
  writeFileSync(key, "-----BEGIN OPENSSH PRIVATE KEY-----\n…\n-----END OPENSSH PRIVATE KEY-----\n");
  const { image, ...noImage } = LAB_JSON;
  writeFileSync(
    path.join(dir, "lab.json"),
    JSON.stringify({ ...(opts.image === false ? noImage : { ...noImage, image }), privateKeyPath: key }),
  );
  if (opts.net) {
    const net = {
      username: "skjold-lab",
      privateKeyPath: key,
      dns: ["203.0.113.233"],
      hosts: [netHost(1, "routed"), netHost(2, "bridged")],
    };
    writeFileSync(path.join(dir, "net.json"), JSON.stringify(net));
  }
  return dir;
}

describe("the lab's facts", () => {
  it("reads the loopback host, and the network hosts only when asked", () => {
    const dir = labDir({ net: true });
    expect(readLabFacts({ labDir: dir, network: false }).hosts.map((h) => h.name)).toEqual(["lab-host"]);
    const facts = readLabFacts({ labDir: dir, network: true });
    expect(facts.hosts.map((h) => [h.name, h.networkMode, h.guestAccess])).toEqual([
      ["lab-host", "USER_FORWARD", "JUMP"],
      ["lab-h1", "ROUTED", "DIRECT"],
      ["lab-h2", "BRIDGED", "JUMP"],
    ]);
    expect(facts.privateKey).toContain("BEGIN OPENSSH PRIVATE KEY");
    expect(facts.image.kernelPath).toBe("/k/vmlinuz");
  });

  it("says what to run when the lab or its image is missing", () => {
    expect(() => readLabFacts({ labDir: "/nonexistent", network: false })).toThrow(/lab\.json is missing \(run scripts\/lab-host up/);
    expect(() => readLabFacts({ labDir: labDir({ image: false }), network: false })).toThrow(/lab\.json: image .*build-guest-image/);
    expect(() => readLabFacts({ labDir: labDir(), network: true })).toThrow(/net\.json is missing/);
  });

  it("plans a routed host's own pools and one shared segment, each a shape the pool rules accept", () => {
    const pools = labAddressPools(readLabFacts({ labDir: labDir({ net: true }), network: true }).hosts);
    expect(pools.map((p) => [p.name, p.hostName ?? null])).toEqual([
      ["lab-h1-v4", "lab-h1"],
      ["lab-h1-v6", "lab-h1"],
      ["segment-v4", null],
      ["segment-v6", null],
    ]);
    for (const p of pools) {
      // As createIpPool takes it: the input schema, then the pool rules.
      const input = CreateIpPoolInput.parse({ regionCode: "osl1", dns: ["203.0.113.233"], ...p });
      expect(checkPoolShape({ ...input, family: input.family === "IPV4" ? 4 : 6 }).ok).toBe(true);
    }
  });
});
