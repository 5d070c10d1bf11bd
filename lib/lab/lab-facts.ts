import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { AppError } from "../core/errors";
import { FingerprintSchema } from "../ssh/fingerprint";

// What scripts/lab-host and scripts/build-guest-image leave in /var/lib/skjold-lab: lab.json (the
// loopback lab host and the guest image) and, after `lab-host up --hosts N`, net.json (the network
// lab's namespaced hosts). These files are the lab's own word on its host keys, so `npm start -- --lab`
// pins what they say instead of asking anyone to paste a fingerprint.

export const LAB_DIR = "/var/lib/skjold-lab";
const RETRY = "run scripts/lab-host up && scripts/build-guest-image (as root), or npm start -- --lab";

const LabJsonSchema = z.object({
  address: z.string(),
  port: z.number().int(),
  username: z.string(),
  privateKeyPath: z.string(),
  publicKey: z.string(),
  hostKeyFingerprint: FingerprintSchema,
  pool: z.string(),
  image: z.object({
    volume: z.string(),
    sha256: z.string().regex(/^[a-f0-9]{64}$/),
    kernelPath: z.string(),
    initrdPath: z.string(),
  }),
});

const Prefix = z.object({ cidr: z.string(), gateway: z.string().nullable() });
const NetJsonSchema = z.object({
  username: z.string(),
  privateKeyPath: z.string(),
  dns: z.array(z.string()),
  hosts: z.array(
    z.object({
      name: z.string(),
      address: z.string(),
      port: z.number().int(),
      mode: z.enum(["routed", "bridged"]),
      hostKeyFingerprint: FingerprintSchema,
      pool: z.string(),
      uplink: z.string().nullable(),
      bridge: z.string().nullable(),
      ipv4: Prefix,
      ipv6: Prefix,
    }),
  ),
});

/** One lab host as the lab describes it, in the portal's words. */
export interface LabHostFacts {
  name: string;
  address: string;
  port: number;
  username: string;
  hostKeyFingerprint: string;
  storagePool: string;
  networkMode: "USER_FORWARD" | "ROUTED" | "BRIDGED";
  uplink: string | null;
  bridge: string | null;
  /** the portal reaches a routed host's guests straight (the lab routes its pools to this machine) */
  guestAccess: "JUMP" | "DIRECT";
  ipv4: { cidr: string; gateway: string | null } | null;
  ipv6: { cidr: string; gateway: string | null } | null;
}

export interface LabFacts {
  hosts: LabHostFacts[];
  /** the lab's client key, authorised on every lab host */
  privateKey: string;
  image: { volume: string; sha256: string; kernelPath: string; initrdPath: string };
  dns: string[];
}

function readJson<T>(file: string, schema: z.ZodType<T>): T {
  if (!existsSync(file)) throw new AppError("NOT_FOUND", `No lab: ${file} is missing (${RETRY}).`);
  const parsed = schema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError("VALIDATION", `The lab is incomplete: ${file}: ${issue?.path.join(".")} ${issue?.message} (${RETRY}).`);
  }
  return parsed.data;
}

/** Reads the lab's files: the loopback host always, the network lab's hosts when `network` is set. */
export function readLabFacts(opts: { labDir?: string; network: boolean }): LabFacts {
  const dir = opts.labDir ?? LAB_DIR;
  const lab = readJson(path.join(dir, "lab.json"), LabJsonSchema);
  const hosts: LabHostFacts[] = [
    {
      name: "lab-host",
      address: lab.address,
      port: lab.port,
      username: lab.username,
      hostKeyFingerprint: lab.hostKeyFingerprint,
      storagePool: lab.pool,
      networkMode: "USER_FORWARD",
      uplink: null,
      bridge: null,
      guestAccess: "JUMP",
      ipv4: null,
      ipv6: null,
    },
  ];
  let dns: string[] = [];
  if (opts.network) {
    const net = readJson(path.join(dir, "net.json"), NetJsonSchema);
    if (net.privateKeyPath !== lab.privateKeyPath)
      throw new AppError("VALIDATION", `The lab's files disagree on the client key (${net.privateKeyPath}, ${lab.privateKeyPath}).`);
    dns = net.dns;
    for (const h of net.hosts) {
      hosts.push({
        name: h.name,
        address: h.address,
        port: h.port,
        username: net.username,
        hostKeyFingerprint: h.hostKeyFingerprint,
        storagePool: h.pool,
        networkMode: h.mode === "routed" ? "ROUTED" : "BRIDGED",
        uplink: h.uplink,
        bridge: h.bridge,
        guestAccess: h.mode === "routed" ? "DIRECT" : "JUMP",
        ipv4: h.ipv4,
        ipv6: h.ipv6,
      });
    }
  }
  return { hosts, privateKey: readFileSync(lab.privateKeyPath, "utf8"), image: lab.image, dns };
}
