import { z } from "zod";

/** What a tenant may ask of a running or stopped VM (browser form and POST …/vms/{id}/actions alike). */
export const VmPowerActionSchema = z.enum(["start", "shutdown", "reboot", "force-off"]);
export type VmPowerAction = z.infer<typeof VmPowerActionSchema>;
