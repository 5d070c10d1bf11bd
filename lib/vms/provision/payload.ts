import { z } from "zod";

/** What a "vm.provision" job carries: the VM it brings up (its row holds everything else). */
export const ProvisionVmPayload = z.strictObject({ vmId: z.uuid() });
export type ProvisionVmPayload = z.infer<typeof ProvisionVmPayload>;
