import { z } from "zod";
import { uuid } from "../../core/validation";
import { MAX_PRIVATE_NICS } from "../../network/private/private-range";

// What a tenant sends to order a VM (browser form and POST /api/v1/teams/{slug}/vms alike).

/** One RFC 1123 label: the guest's hostname and the VM's name within its team. */
const VmNameSchema = z
  .string()
  .max(63, "must be at most 63 characters")
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "use 1–63 lowercase letters, digits and inner dashes (an RFC 1123 host name label)");

const code = z
  .string()
  .max(16, "must be at most 16 characters")
  .regex(/^[a-z][a-z0-9-]{1,15}$/, "is not a known code");

export const OrderVmInput = z.strictObject({
  name: VmNameSchema,
  regionCode: code,
  planCode: code,
  imageSlug: z
    .string()
    .max(40, "must be at most 40 characters")
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "is not a known image"),
  sshKeyId: uuid,
  /** the team's private networks in the region to put the VM on (a NIC each, eth1…eth4), in order */
  privateNetworkIds: z
    .array(uuid)
    .max(MAX_PRIVATE_NICS, `at most ${MAX_PRIVATE_NICS} private networks`)
    .refine((ids) => new Set(ids).size === ids.length, "names a network twice")
    .optional(),
});
export type OrderVmInput = z.infer<typeof OrderVmInput>;
