"use server";

import { revalidatePath } from "next/cache";
import { AppError } from "@/lib/core/errors";
import { getPrisma } from "@/lib/db";
import { changeTeamResidencyPolicy, verifyTeamLedger, type PolicyViolation } from "@/lib/residency";
import type { ResidencyPolicy } from "@/lib/generated/prisma/enums";
import { getT } from "@/app/_i18n/server";
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
    const { t } = await getT(principal.locale);
    const name = (p: ResidencyPolicy) => t(`residency.policyName.${p}`);
    try {
      const r = await changeTeamResidencyPolicy({ prisma, principal, teamSlug: slug, input, meta: await requestMeta() });
      revalidatePath(`/teams/${slug}/residency`);
      return { message: t(r.changed ? "residency.policyChanged" : "residency.policyUnchanged", { policy: name(r.policy) }) };
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "POLICY_VIOLATION") throw err;
      const { violations, policy, current } = err.details as {
        violations: PolicyViolation[];
        policy: ResidencyPolicy;
        current: ResidencyPolicy;
      };
      return {
        ok: false,
        error: t("residency.policyRefused", { current: name(current), count: violations.length, policy: name(policy) }),
        violations,
      };
    }
  }) as Promise<PolicyFormState>;
}

export async function verifyTeamLedgerAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const slug = String(form.get("slug") ?? "");
    const principal = await requireUser();
    const result = await verifyTeamLedger({ prisma: await getPrisma(), principal, teamSlug: slug });
    revalidatePath(`/teams/${slug}/residency`);
    return verificationMessage((await getT(principal.locale)).t, result);
  });
}
