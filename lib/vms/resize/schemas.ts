import { z } from "zod";

/** A change of plan (browser form and POST …/vms/{id}/resize alike). */
export const ResizeVmInput = z.strictObject({
  planCode: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "must be a plan code (lowercase letters, digits and dashes)"),
});
export type ResizeVmInput = z.infer<typeof ResizeVmInput>;

/** A VM's size: what a resize changes, before and after. */
export const VmSize = z.strictObject({
  planId: z.uuid(),
  vcpus: z.int().positive(),
  memoryMb: z.int().positive(),
  diskGb: z.int().positive(),
});
export type VmSize = z.infer<typeof VmSize>;

export const ResizeVmPayload = z.strictObject({ vmId: z.uuid(), from: VmSize, to: VmSize });
export type ResizeVmPayload = z.infer<typeof ResizeVmPayload>;
