"use server";

import { revalidatePath } from "next/cache";
import { AppError } from "@/lib/core/errors";
import { getPrisma } from "@/lib/db";
import { changeTeamResidencyPolicy, POLICY_LABELS, verifyTeamLedger, type PolicyViolation } from "@/lib/residency";
import type { ResidencyPolicy } from "@/lib/generated/prisma/enums";
import { formObject, runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";
import { verificationMessage } from "./_ui/verify";

export interface PolicyFormState extends ActionState {
  violations?: PolicyViolation[];
}

export async function changePolicyAction(_p: PolicyFormState, form: FormData): Promise<PolicyFormState> {
  return runAction(async () => {
    const { slug = "", ...input } = formObject(form);
    const principal = await requireUser();
    const prisma = await getPrisma();
    try {
      const r = await changeTeamResidencyPolicy({ prisma, principal, teamSlug: slug, input, meta: await requestMeta() });
      revalidatePath(`/teams/${slug}/residency`);
      return {
        message: r.changed ? `Policy changed to "${POLICY_LABELS[r.policy]}".` : `The policy already is "${POLICY_LABELS[r.policy]}".`,
      };
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "POLICY_VIOLATION") throw err;
      const { violations, policy, current } = err.details as {
        violations: PolicyViolation[];
        policy: ResidencyPolicy;
        current: ResidencyPolicy;
      };
      return {
        ok: false,
        error: `The policy stays "${POLICY_LABELS[current]}": ${violations.length} resource(s) lie outside "${POLICY_LABELS[policy]}". Move or delete them first.`,
        violations,
      };
    }
  }) as Promise<PolicyFormState>;
}

export async function verifyTeamLedgerAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const slug = String(form.get("slug") ?? "");
    const result = await verifyTeamLedger({ prisma: await getPrisma(), principal: await requireUser(), teamSlug: slug });
    revalidatePath(`/teams/${slug}/residency`);
    return verificationMessage(result);
  });
}
