import { z } from "zod";
import { email, roleSchema, safeText, slug } from "../core/validation";

export const CreateTeamInput = z.object({
  name: safeText(80),
  slug,
  ownerEmail: email.optional(),
});

export const InviteMemberInput = z.object({ email, role: roleSchema });
export const ChangeRoleInput = z.object({ userId: z.uuid(), role: roleSchema });
export const AcceptInvitationInput = z.object({
  token: z
    .string()
    .min(20)
    .max(128)
    .regex(/^[A-Za-z0-9_-]+$/),
  name: safeText(80).optional(),
  password: z.string().min(12, "must be at least 12 characters").max(256).optional(),
});
