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

export const RegisterImageInput = z.object({
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
});
export type RegisterImageInput = z.input<typeof RegisterImageInput>;

export const DriftSelectionInput = z.object({
  domains: z.array(z.string().max(255)).max(200).default([]),
  volumes: z
    .array(z.object({ pool: PoolNameSchema, name: z.string().max(255) }))
    .max(500)
    .default([]),
});
