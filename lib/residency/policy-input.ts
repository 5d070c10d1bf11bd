import { z } from "zod";
import { ResidencyPolicy } from "../generated/prisma/enums";

/** Body of PUT /api/v1/teams/{slug}/residency/policy and of the policy form. */
export const PolicyChangeInput = z.strictObject({ policy: z.enum(ResidencyPolicy, "choose NORWAY_ONLY, EEA or EU") });
