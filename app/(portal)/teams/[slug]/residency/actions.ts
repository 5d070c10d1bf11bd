"use server";

import { revalidatePath } from "next/cache";
import { requireTeam } from "@/lib/access/team-access";
import { actorOf } from "@/lib/audit/record-audit";
import { AppError, fromZod } from "@/lib/core/errors";
import { getPrisma } from "@/lib/db";
import { changeResidencyPolicy, POLICY_LABELS, verifyLedger, type PolicyViolation } from "@/lib/residency";
import { PolicyChangeInput } from "@/lib/residency/policy-input";
import { formObject, runAction, type ActionState } from "@/app/_server/actions";
import { requireUser } from "@/app/_server/request";
import { verificationMessage } from "./_ui/verify";

export interface PolicyFormState extends ActionState {
  violations?: PolicyViolation[];
}

export async function changePolicyAction(_p: PolicyFormState, form: FormData): Promise<PolicyFormState> {
  return runAction(async () => {
    const { slug = "", ...input } = formObject(form);
    const principal = await requireUser();
    const prisma = await getPrisma();
    const { team } = await requireTeam({ prisma, principal, slug, need: "manage" });
    const body = PolicyChangeInput.safeParse(input);
    if (!body.success) throw fromZod(body.error, "Invalid policy change");
    const actor = actorOf(principal);
    try {
      const r = await changeResidencyPolicy({
        prisma,
        teamId: team.id,
        policy: body.data.policy,
        actor: { label: actor.actorLabel, userId: actor.actorUserId },
      });
      revalidatePath(`/teams/${slug}/residency`);
      return {
        message: r.changed ? `Policy changed to "${POLICY_LABELS[r.policy]}".` : `The policy already is "${POLICY_LABELS[r.policy]}".`,
      };
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "POLICY_VIOLATION") throw err;
      const { violations } = err.details as { violations: PolicyViolation[] };
      return {
        ok: false,
        error: `The policy stays "${POLICY_LABELS[team.residencyPolicy]}": ${violations.length} resource(s) lie outside "${POLICY_LABELS[body.data.policy]}". Move or delete them first.`,
        violations,
      };
    }
  }) as Promise<PolicyFormState>;
}

export async function verifyTeamLedgerAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const prisma = await getPrisma();
    await requireTeam({ prisma, principal: await requireUser(), slug: String(form.get("slug") ?? ""), need: "audit" });
    return verificationMessage(await verifyLedger({ prisma }));
  });
}
