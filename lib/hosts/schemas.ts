import { z } from "zod";
import { intIn, uuid } from "../core/validation";
import { FingerprintSchema } from "../ssh/fingerprint";
import { PoolNameSchema, RemotePathSchema, VolumeNameSchema } from "../ssh/quote";
import { HostnameSchema } from "../ssh/target";

// What admins may send about hosts and images. Every name that later reaches virsh or a path on a
// host is checked here as well as in lib/ssh/quote.ts.

const HostNameSchema = z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, "use 2–63 lowercase letters, digits and dashes, starting with a letter");
const RegionCodeSchema = z.string().regex(/^[a-z][a-z0-9-]{1,15}$/, "must be a region code such as osl1");
const PrivateKeySchema = z
  .string()
  .max(16_384, "must be at most 16 KiB")
  .refine((k) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(k), "must be an OpenSSH or PEM private key (-----BEGIN … PRIVATE KEY-----)");
const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalPath = z.preprocess(emptyToUndefined, RemotePathSchema.optional());

/** A Linux interface name (IFNAMSIZ: at most 15 bytes). */
const InterfaceNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,14}$/, "must be a Linux interface name (up to 15 letters, digits, _ . -)");

/**
 * How a host gives its guests addresses. ROUTED (the production default): the host is each guest's
 * gateway and routes the guest's /32 and /64 to its tap, over `uplink`. BRIDGED: guests join `bridge`
 * on the provider's segment. USER_FORWARD: the lab trial, no addresses.
 */
export const HostNetworkInput = z
  .object({
    networkMode: z.enum(["ROUTED", "BRIDGED", "USER_FORWARD"]).default("ROUTED"),
    uplink: z.preprocess(emptyToUndefined, InterfaceNameSchema.optional()),
    bridge: z.preprocess(emptyToUndefined, InterfaceNameSchema.optional()),
    /** JUMP: the portal reaches guests through the host; DIRECT: straight to their addresses */
    guestAccess: z.enum(["JUMP", "DIRECT"]).default("JUMP"),
  })
  .refine((v) => v.networkMode !== "ROUTED" || v.uplink !== undefined, {
    path: ["uplink"],
    message: "a routed host needs the interface its pools are routed to",
  })
  .refine((v) => v.networkMode !== "BRIDGED" || v.bridge !== undefined, {
    path: ["bridge"],
    message: "a bridged host needs the bridge its guests join",
  });
export type HostNetworkInput = z.input<typeof HostNetworkInput>;

export const AddHostInput = z
  .object({
    name: HostNameSchema,
    regionCode: RegionCodeSchema,
    address: HostnameSchema,
    port: intIn(1, 65_535).default(22),
    username: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, "must be a POSIX user name"),
    keyMode: z.enum(["paste", "generate"]).default("paste"),
    privateKey: z.preprocess(emptyToUndefined, PrivateKeySchema.optional()),
  })
  .and(HostNetworkInput)
  .refine((v) => v.keyMode === "generate" || v.privateKey !== undefined, {
    path: ["privateKey"],
    message: "paste a private key or choose to generate a key pair",
  })
  .refine((v) => v.keyMode === "paste" || v.privateKey === undefined, {
    path: ["privateKey"],
    message: "leave the private key empty when Skjold generates the key pair",
  });
export type AddHostInput = z.input<typeof AddHostInput>;

export const ConfirmHostKeyInput = z.object({
  fingerprint: z.string().trim().pipe(FingerprintSchema),
  /** a kernel on the host for the accelerator probe; default: a registered or found image's kernel */
  probeKernelPath: optionalPath,
});

export const RegisterImageInput = z
  .object({
    hostId: uuid,
    imageSlug: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,39}$/, "must be an image slug from the catalogue"),
    pool: PoolNameSchema,
    volume: VolumeNameSchema,
    kernelPath: optionalPath,
    initrdPath: optionalPath,
    /** when given, registration is refused unless the host computes the same sha256 */
    expectedSha256: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[a-f0-9]{64}$/, "must be 64 lowercase hex digits")
        .optional(),
    ),
  })
  .refine((v) => v.initrdPath === undefined || v.kernelPath !== undefined, {
    path: ["kernelPath"],
    message: "an initrd is only used with a kernel: give the kernel too",
  });
export type RegisterImageInput = z.input<typeof RegisterImageInput>;

export const DriftSelectionInput = z.object({
  domains: z.array(z.string().max(255)).max(200).default([]),
  volumes: z
    .array(z.object({ pool: PoolNameSchema, name: z.string().max(255) }))
    .max(500)
    .default([]),
});

/** POST …/reconcile: check now (reads libvirt over SSH, stores the report), or clean up / adopt chosen drift. */
export const ReconcileInput = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("check") }),
  DriftSelectionInput.extend({ action: z.literal("cleanup") }),
  DriftSelectionInput.extend({ action: z.literal("adopt") }),
]);

/** How long a job waits for an unreachable host before it fails (0: not at all), at most a day. */
export const MAX_OUTAGE_WAIT_SECONDS = 86_400;
export const HostOutageWaitInput = z.strictObject({ waitSeconds: intIn(0, MAX_OUTAGE_WAIT_SECONDS) });
