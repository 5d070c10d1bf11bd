import { z } from "zod";
import { intIn } from "../core/validation";

// What admins may send about address pools and the quarantine. Addresses are only bounded here; what
// they mean (inside the prefix, the right family) is checked by checkPoolShape, which names the field.

const emptyToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

const PoolNameSchema = z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, "use 2–63 lowercase letters, digits and dashes, starting with a letter");
const RegionCodeSchema = z.string().regex(/^[a-z][a-z0-9-]{1,15}$/, "must be a region code such as osl1");
const HostNameSchema = z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, "must be a host's name");
const AddressText = z.string().trim().min(1, "must not be empty").max(64, "must be at most 64 characters");
const OptionalAddress = z.preprocess(emptyToNull, AddressText.nullable());

const PoolFields = {
  gateway: OptionalAddress,
  rangeStart: OptionalAddress,
  rangeEnd: OptionalAddress,
  reserved: z.array(AddressText).max(256, "at most 256 reserved addresses"),
  dns: z.array(AddressText).max(16, "at most 3 resolvers"),
};

export const CreateIpPoolInput = z
  .object({
    name: PoolNameSchema,
    regionCode: RegionCodeSchema,
    family: z.enum(["IPV4", "IPV6"]),
    /** routed: the provider routes the prefix to one host; segment: shared by the region's bridged hosts */
    kind: z.enum(["routed", "segment"]),
    hostName: z.preprocess(emptyToNull, HostNameSchema.nullable().default(null)),
    cidr: z.string().trim().min(1, "must not be empty").max(64, "must be at most 64 characters"),
    gateway: PoolFields.gateway.default(null),
    rangeStart: PoolFields.rangeStart.default(null),
    rangeEnd: PoolFields.rangeEnd.default(null),
    reserved: PoolFields.reserved.default([]),
    dns: PoolFields.dns.default([]),
  })
  .refine((v) => v.kind === "segment" || v.hostName !== null, {
    path: ["hostName"],
    message: "a routed pool needs the host the provider routes it to",
  })
  .refine((v) => v.kind === "routed" || v.hostName === null, {
    path: ["hostName"],
    message: "a segment pool is shared by the region's bridged hosts; leave the host empty",
  });
export type CreateIpPoolInput = z.input<typeof CreateIpPoolInput>;

/** What may change on a pool: never its prefix, family, kind, host or region (add a new pool instead). */
export const UpdateIpPoolInput = z
  .object({
    name: PoolNameSchema.optional(),
    gateway: PoolFields.gateway.optional(),
    rangeStart: PoolFields.rangeStart.optional(),
    rangeEnd: PoolFields.rangeEnd.optional(),
    reserved: PoolFields.reserved.optional(),
    dns: PoolFields.dns.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), "nothing to change");
export type UpdateIpPoolInput = z.input<typeof UpdateIpPoolInput>;
export const FIXED_POOL_FIELDS = ["regionCode", "family", "kind", "hostName", "cidr"] as const;

export const MAX_QUARANTINE_SECONDS = 90 * 86_400;
export const QuarantineInput = z.object({ quarantineSeconds: intIn(0, MAX_QUARANTINE_SECONDS) });

/** An instant as ISO 8601; without a zone (a datetime-local field) it is read as UTC. */
export const InstantSchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:\d\d)?$/, "must be a time such as 2026-12-01T14:03Z")
  .transform((s) => new Date(/(Z|[+-]\d\d:\d\d)$/.test(s) ? s : `${s}Z`))
  .refine((d) => !Number.isNaN(d.getTime()), "must be a real time");

/** A pool from the admin page's form: lists typed as text, one address per line or comma-separated. */
export function poolInputFromForm(form: Record<string, string>): Record<string, unknown> {
  const list = (text: string | undefined) => (text ?? "").split(/[\s,]+/).filter(Boolean);
  const { reserved, dns, ...rest } = form;
  return { ...rest, reserved: list(reserved), dns: list(dns) };
}
