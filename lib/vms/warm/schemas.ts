import { z } from "zod";

/** An admin's warm pool setting: region code, plan code, image slug and how many guests to keep (0 = off). */
export const SetWarmPoolInput = z.strictObject({
  region: z.string().trim().min(1).max(32),
  plan: z.string().trim().min(1).max(32),
  image: z.string().trim().min(1).max(64),
  size: z.number().int().min(0).max(50),
});
export type SetWarmPoolInput = z.infer<typeof SetWarmPoolInput>;
