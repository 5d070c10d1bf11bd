import { z } from "zod";

/** `{ target }`: the backup target (by name) to take a backup of the VM to. */
export const BackupVmInput = z.strictObject({ target: z.string().trim().min(1).max(40) });

export const BackupJobPayload = z.strictObject({ backupId: z.uuid() });
export const RestoreJobPayload = z.strictObject({ backupId: z.uuid(), vmId: z.uuid() });
