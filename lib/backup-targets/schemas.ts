import { z } from "zod";

/** An admin registers a backup target: a name, the host (by name) and one of its storage pools. */
export const CreateBackupTargetInput = z.strictObject({
  name: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, "must be 2–40 lower-case letters, digits and dashes"),
  host: z.string().trim().min(1).max(120),
  pool: z.string().trim().min(1).max(63),
});
export type CreateBackupTargetInput = z.infer<typeof CreateBackupTargetInput>;
