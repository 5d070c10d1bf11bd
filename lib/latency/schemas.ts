import { isIP } from "node:net";
import { z } from "zod";

// What an admin may configure as a probe target. Every field that reaches a host's shell is either a
// number or an address validated here (and quoted again by the script builder): no leading dash, no
// spaces, nothing a shell or ping could read as an option.

const HOSTNAME = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export const ProbeAddressSchema = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .refine((a) => isIP(a) !== 0 || HOSTNAME.test(a), "must be an IPv4 or IPv6 address or a DNS host name");

const ProbeMethodChoiceSchema = z.enum(["icmp", "tcp", "both"]);
export type ProbeMethodChoice = z.infer<typeof ProbeMethodChoiceSchema>;

const LABEL = /^[\p{L}\p{N}][\p{L}\p{N} ._()/-]*$/u;

const TargetFields = z.object({
  exchange: z.string().trim().min(1).max(64).regex(LABEL, "letters, digits, spaces and . _ ( ) / - only"),
  name: z.string().trim().min(1).max(64).regex(LABEL, "letters, digits, spaces and . _ ( ) / - only"),
  address: ProbeAddressSchema,
  port: z.number().int().min(1).max(65535).nullable(),
  method: ProbeMethodChoiceSchema,
  count: z.number().int().min(1).max(20),
  intervalSec: z.number().int().min(30).max(86_400),
  enabled: z.boolean(),
});

/** A TCP probe needs a port; checked on a whole target (after an update is merged too). */
export function hasPortForTcp(v: { method: ProbeMethodChoice; port: number | null }): boolean {
  return v.method === "icmp" || v.port !== null;
}
const PORT_MESSAGE = { message: "a TCP probe needs a port", path: ["port"] };

export const LatencyTargetInputSchema = TargetFields.extend({
  port: TargetFields.shape.port.default(null),
  method: ProbeMethodChoiceSchema.default("icmp"),
  count: TargetFields.shape.count.default(5),
  intervalSec: TargetFields.shape.intervalSec.default(300),
  enabled: TargetFields.shape.enabled.default(true),
}).refine(hasPortForTcp, PORT_MESSAGE);
export type LatencyTargetInput = z.input<typeof LatencyTargetInputSchema>;

export const LatencyTargetUpdateSchema = TargetFields.partial().refine((v) => Object.keys(v).length > 0, "nothing to update");
export type LatencyTargetUpdate = z.input<typeof LatencyTargetUpdateSchema>;

export function methodFlags(method: ProbeMethodChoice): { icmp: boolean; tcp: boolean } {
  return { icmp: method !== "tcp", tcp: method !== "icmp" };
}

/** A window such as "15m", "1h", "48h", "7d" as milliseconds. */
export const WindowSchema = z
  .string()
  .regex(/^\d{1,4}[mhd]$/, 'a window like "15m", "1h" or "2d"')
  .transform((w) => Number(w.slice(0, -1)) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[w.slice(-1) as "m" | "h" | "d"]);
