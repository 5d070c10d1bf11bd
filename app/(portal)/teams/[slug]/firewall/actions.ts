"use server";

import { revalidatePath } from "next/cache";
import { getPrisma } from "@/lib/db";
import { parseRuleLines } from "@/lib/firewall/rule-lines";
import { createRuleSet } from "@/lib/vms/firewall/create-rule-set";
import { deleteRuleSet } from "@/lib/vms/firewall/delete-rule-set";
import { updateRuleSet } from "@/lib/vms/firewall/update-rule-set";
import { getT } from "@/app/_i18n/server";
import { runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";

async function ctx(form: FormData) {
  return { prisma: await getPrisma(), principal: await requireUser(), meta: await requestMeta(), teamSlug: String(form.get("slug") ?? "") };
}

/** The form's fields as the API's rule set: the rules written one per line. */
const ruleSetOf = (form: FormData) => ({
  name: String(form.get("name") ?? ""),
  outbound: String(form.get("outbound") ?? "allow"),
  rules: parseRuleLines(String(form.get("rules") ?? "")),
});

export async function createRuleSetAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const c = await ctx(form);
    const set = await createRuleSet({ ...c, input: ruleSetOf(form) });
    revalidatePath(`/teams/${c.teamSlug}/firewall`);
    return { message: (await getT(c.principal.locale)).t("firewall.created", { name: set.name }) };
  });
}

export async function updateRuleSetAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const c = await ctx(form);
    const set = await updateRuleSet({ ...c, ruleSetId: String(form.get("ruleSetId") ?? ""), input: ruleSetOf(form) });
    revalidatePath(`/teams/${c.teamSlug}/firewall`);
    return { message: (await getT(c.principal.locale)).t("firewall.saved", { name: set.name, count: set.jobIds.length }) };
  });
}

export async function deleteRuleSetAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const c = await ctx(form);
    await deleteRuleSet({ ...c, ruleSetId: String(form.get("ruleSetId") ?? "") });
    revalidatePath(`/teams/${c.teamSlug}/firewall`);
    return { message: (await getT(c.principal.locale)).t("firewall.deleted") };
  });
}
