import { z } from "zod";
import { VmPowerActionSchema } from "../order/schemas";

export const ProvisionVmPayload = z.strictObject({ vmId: z.uuid() });
export type ProvisionVmPayload = z.infer<typeof ProvisionVmPayload>;

export const PowerVmPayload = z.strictObject({ vmId: z.uuid(), action: VmPowerActionSchema });
export type PowerVmPayload = z.infer<typeof PowerVmPayload>;

export const DeleteVmPayload = z.strictObject({ vmId: z.uuid() });
export type DeleteVmPayload = z.infer<typeof DeleteVmPayload>;

export const VerifyVmPayload = z.strictObject({ vmId: z.uuid() });
export type VerifyVmPayload = z.infer<typeof VerifyVmPayload>;
