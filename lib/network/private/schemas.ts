import { z } from "zod";
import { checkRange, checkUla, MAX_PREFIX_LEN, MIN_PREFIX_LEN } from "./private-range";

// A private network as a tenant asks for it (form and API alike). Every refusal names its field; the
// overlap with the team's other networks in the region is checked under the region's lock
// (create-private-network.ts) and named the same way.

const NameSchema = z
  .string()
  .max(40, "must be at most 40 characters")
  .regex(/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/, "use 1–40 lowercase letters, digits and inner dashes");

const RangeSchema = z
  .string()
  .trim()
  .max(43, "must be at most 43 characters")
  .superRefine((text, ctx) => {
    const r = checkRange(text);
    if (r.ok) return;
    const message =
      r.problem === "host-bits"
        ? `${text} has host bits set; did you mean ${r.suggestion}?`
        : r.problem === "too-small"
          ? `/${r.prefixLen} is too small: a private network is at least a /${MAX_PREFIX_LEN}`
          : r.problem === "too-large"
            ? `/${r.prefixLen} is too large: a private network is at most a /${MIN_PREFIX_LEN}`
            : r.problem === "not-private"
              ? `${text} is not private address space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10)`
              : `${text} is not an IPv4 prefix such as 10.0.0.0/24`;
    ctx.addIssue({ code: "custom", message });
  });

const UlaSchema = z
  .string()
  .trim()
  .max(43, "must be at most 43 characters")
  .refine((text) => text === "auto" || checkUla(text).ok, "is not an IPv6 ULA /64 such as fd12:3456:789a::/64 (or auto)");

export const CreatePrivateNetworkInput = z.strictObject({
  name: NameSchema,
  regionCode: z
    .string()
    .max(16, "must be at most 16 characters")
    .regex(/^[a-z][a-z0-9-]{1,15}$/, "is not a known code"),
  /** IPv4 range; left out, Skjold suggests the first free 10.x.y.0/24 */
  cidr: RangeSchema.nullish(),
  /** an IPv6 ULA /64, or "auto" for a random one (RFC 4193); left out, the network has no IPv6 */
  ipv6Prefix: UlaSchema.nullish(),
});
export type CreatePrivateNetworkInput = z.infer<typeof CreatePrivateNetworkInput>;
