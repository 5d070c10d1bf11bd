import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { z } from "zod";
import { encryptSecret } from "@/lib/core/secrets";
import { seedDatabase } from "@/lib/db/seed";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { labAddressPools } from "@/lib/lab/create-lab-address-pools";
import { createIpPool } from "@/lib/network/create-ip-pool";
import { makeUser } from "./factories";
import { getLab } from "./lab";

// The multi-host network lab (`scripts/lab-host up --hosts 2`: lab-h1 routed, lab-h2 bridged, an
// upstream and a client namespace) as tests see it, onboarded into a test database the way an admin
// would have it: hosts ONLINE with their keys pinned, in their network modes, their pools and the
// guest image on each. All addresses are the lab's own (203.0.113.128/25, 2001:db8::/32).

const NET_JSON = "/var/lib/skjold-lab/net.json";
const SPOOF_DIR = path.join(import.meta.dirname, "spoof");

const Prefix = z.object({ cidr: z.string(), gateway: z.string().nullable() });
const NetLabSchema = z.object({
  username: z.string(),
  privateKeyPath: z.string(),
  dns: z.array(z.string()),
  hosts: z.array(
    z.object({
      name: z.string(),
      netns: z.string(),
      address: z.string(),
      port: z.number(),
      mode: z.enum(["routed", "bridged"]),
      hostKeyFingerprint: z.string(),
      pool: z.string(),
      poolPath: z.string(),
      uplink: z.string().nullable(),
      bridge: z.string().nullable(),
      ipv4: Prefix,
      ipv6: Prefix,
    }),
  ),
  client: z.object({ netns: z.string(), ipv4: z.string(), ipv6: z.string() }),
  upstream: z.object({ netns: z.string(), ipv4: z.string(), ipv6: z.string() }),
});
export type NetLab = z.infer<typeof NetLabSchema>;

export function getNetLab(): NetLab {
  if (!existsSync(NET_JSON)) throw new Error(`No network lab: ${NET_JSON} is missing (run scripts/lab-host up --hosts 2)`);
  return NetLabSchema.parse(JSON.parse(readFileSync(NET_JSON, "utf8")));
}

/**
 * Onboards the network lab's hosts into `prisma` (region osl1): each ONLINE with its key pinned, TCG,
 * its mode, its pool and the guest image, and the pools an admin would define (a routed host's own
 * IPv4 and IPv6 pools, the bridged segment's). The routed host is reached straight (the portal's
 * namespace routes to the pools), the bridged one through the host, so both paths are exercised.
 */
export async function onboardNetLab(
  prisma: PrismaClient,
  opts: { vcpuOvercommit?: number; modes?: ReadonlyArray<"routed" | "bridged"> } = {},
) {
  const all = getNetLab();
  const net = { ...all, hosts: all.hosts.filter((h) => !opts.modes || opts.modes.includes(h.mode)) };
  const lab = getLab();
  await seedDatabase(prisma, { adminPassword: "net-lab-admin-password-not-used" });
  const { principal: admin } = await makeUser(prisma, { isAdmin: true });
  const region = await prisma.region.findUniqueOrThrow({ where: { code: "osl1" } });
  const image = await prisma.image.findUniqueOrThrow({ where: { slug: "debian-12" } });
  const privateKey = readFileSync(net.privateKeyPath, "utf8");
  const hosts = [];
  for (const h of net.hosts) {
    const host = await prisma.host.create({
      data: {
        name: h.name,
        regionId: region.id,
        address: h.address,
        port: h.port,
        username: net.username,
        privateKeyEnc: encryptSecret(privateKey),
        publicKey: lab.publicKey,
        hostKeyAlgorithm: "ssh-ed25519",
        hostKeyFingerprint: h.hostKeyFingerprint,
        hostKeyPinnedAt: new Date(),
        status: "ONLINE",
        accelerator: "TCG",
        networkMode: h.mode === "routed" ? "ROUTED" : "BRIDGED",
        uplink: h.uplink,
        bridge: h.bridge,
        guestAccess: h.mode === "routed" ? "DIRECT" : "JUMP",
        cpuCount: cpus().length,
        memoryMb: Math.floor(totalmem() / 2 ** 20),
        vcpuOvercommit: opts.vcpuOvercommit ?? 8,
      },
    });
    const pool = await prisma.storagePool.create({
      data: {
        hostId: host.id,
        name: h.pool,
        path: h.poolPath,
        capacityBytes: BigInt(200 * 2 ** 30),
        availableBytes: BigInt(100 * 2 ** 30),
      },
    });
    await prisma.imageCopy.create({
      data: {
        imageId: image.id,
        hostId: host.id,
        poolId: pool.id,
        volume: lab.image.volume,
        checksumSha256: lab.image.sha256,
        sizeBytes: BigInt(statSync(lab.image.path).size),
        kernelPath: lab.image.kernelPath,
        initrdPath: lab.image.initrdPath,
      },
    });
    hosts.push({ ...h, row: host });
  }
  const pools = labAddressPools(
    net.hosts.map((h) => ({ name: h.name, networkMode: h.mode === "routed" ? "ROUTED" : "BRIDGED", ipv4: h.ipv4, ipv6: h.ipv6 }) as const),
  );
  for (const input of pools) await createIpPool({ prisma, principal: admin, input: { regionCode: region.code, dns: net.dns, ...input } });
  return { net, lab, region, image, admin, hosts };
}

/** Runs argv in a lab namespace (root), returning its output; throws when it fails unless `allowFailure`. */
export function inNetns(ns: string, argv: string[], opts: { input?: string; timeoutMs?: number; allowFailure?: boolean } = {}) {
  const r = spawnSync("ip", ["netns", "exec", ns, ...argv], { input: opts.input, encoding: "utf8", timeout: opts.timeoutMs ?? 60_000 });
  if (r.status !== 0 && !opts.allowFailure) throw new Error(`${ns}: ${argv.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { stdout: r.stdout ?? "", stderr: r.stderr ?? "", status: r.status };
}

/**
 * OpenSSH from the client namespace (a tenant on the internet) to a guest's own address, with the
 * tenant's key and StrictHostKeyChecking=yes against the host key the portal shows: a changed or
 * unpinned key fails the login.
 */
export function sshFromClient(opts: {
  net: NetLab;
  address: string;
  user: string;
  privateKey: string;
  hostPublicKey: string;
  command: string;
  input?: string;
}) {
  const dir = mkdtempSync(path.join(tmpdir(), "skjold-tenant-"));
  try {
    const key = path.join(dir, "id");
    writeFileSync(key, opts.privateKey, { mode: 0o600 });
    const [type, blob] = opts.hostPublicKey.trim().split(/\s+/);
    writeFileSync(path.join(dir, "known_hosts"), `${opts.address} ${type} ${blob}\n`);
    return inNetns(
      opts.net.client.netns,
      [
        "ssh",
        "-F",
        "/dev/null",
        "-i",
        key,
        "-o",
        "StrictHostKeyChecking=yes",
        "-o",
        `UserKnownHostsFile=${path.join(dir, "known_hosts")}`,
        "-o",
        "BatchMode=yes",
        "-o",
        "ConnectTimeout=15",
        "-o",
        "IdentitiesOnly=yes",
        `${opts.user}@${opts.address}`,
        opts.command,
      ],
      { allowFailure: true, timeoutMs: 90_000, input: opts.input },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface SpoofWatch {
  udp: { from: string; tag: string }[];
  frames: { if: string; kind: string; srcMac: string; senderIp?: string; target?: string; srcIp?: string }[];
}

/**
 * Watches the client (UDP from guests) and the upstream's underlay bridge (every frame on the
 * segment) while `send` runs, for `seconds`. Returns what each saw.
 */
export async function watchWhile(
  net: NetLab,
  seconds: number,
  send: () => Promise<unknown>,
): Promise<{ client: SpoofWatch; upstream: SpoofWatch }> {
  const start = (ns: string, port: number, ifaces: string[]) => {
    const child = spawn(
      "ip",
      ["netns", "exec", ns, "python3", path.join(SPOOF_DIR, "spoof-watch.py"), String(seconds), String(port), ...ifaces],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    const ready = new Promise<void>((resolve) => child.stderr.on("data", (c) => String(c).includes("ready") && resolve()));
    const done = new Promise<SpoofWatch>((resolve, reject) =>
      child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`spoof-watch in ${ns} exited ${code}`)))),
    );
    return { ready, done };
  };
  const client = start(net.client.netns, 9999, ["eth0"]);
  const upstream = start(net.upstream.netns, 9998, ["wan0"]);
  await Promise.all([client.ready, upstream.ready]);
  await send();
  return { client: await client.done, upstream: await upstream.done };
}

/** The spoofing sender's script, to run as root inside a guest (python3 - ARGS < script). */
export const SPOOF_SENDER = readFileSync(path.join(SPOOF_DIR, "spoof-sender.py"), "utf8");
/** An ICMP echo from a guest (`sudo python3 - <address>`: "reply" or "none"), the image having no ping. */
export const ECHO = readFileSync(path.join(SPOOF_DIR, "echo.py"), "utf8");
