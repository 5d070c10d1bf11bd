import { z } from "zod";

// An HTML form posts strings; the target schemas take numbers, booleans and null. This turns the
// admin page's form fields into a target input (validation proper stays in LatencyTargetInputSchema).

const optionalInt = z
  .string()
  .trim()
  .transform((s, ctx) => {
    if (s === "") return null;
    if (!/^\d{1,6}$/.test(s)) {
      ctx.addIssue({ code: "custom", message: "must be a whole number" });
      return z.NEVER;
    }
    return Number(s);
  });

export const LatencyTargetFormSchema = z
  .object({
    exchange: z.string(),
    name: z.string(),
    address: z.string(),
    port: optionalInt.default(null),
    method: z.string(),
    count: optionalInt.default(null),
    intervalSec: optionalInt.default(null),
    enabled: z.string().optional(),
  })
  .transform(({ count, intervalSec, enabled, ...rest }) => ({
    ...rest,
    ...(count === null ? {} : { count }),
    ...(intervalSec === null ? {} : { intervalSec }),
    enabled: enabled === "on" || enabled === "1" || enabled === "true",
  }));
