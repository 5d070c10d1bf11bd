"use server";

import { revalidatePath } from "next/cache";
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { getPrisma } from "@/lib/db";
import { createTeam } from "@/lib/teams/create-team";
import { inviteMember } from "@/lib/teams/invitations";
import { changeMemberRole, removeMember } from "@/lib/teams/members";
import { setTeamQuota } from "@/lib/teams/quota";
import { getT } from "@/app/_i18n/server";
import { formObject, runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";

async function ctx() {
  return { prisma: await getPrisma(), principal: await requireUser(), meta: await requestMeta() };
}

async function translate() {
  return (await getT((await requireUser()).locale)).t;
}

export async function createTeamAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const input = formObject(form);
    if (!input.ownerEmail) delete input.ownerEmail;
    const team = await createTeam({ ...(await ctx()), input });
    revalidatePath("/teams");
    return { message: (await translate())("teams.created", { name: team.name }) };
  });
}

export async function inviteAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const { slug, ...input } = formObject(form);
    const { path } = await inviteMember({ ...(await ctx()), teamSlug: slug ?? "", input });
    const base = process.env.SKJOLD_PUBLIC_URL ?? "";
    revalidatePath(`/teams/${slug}`);
    return { secret: `${base}${path}` };
  });
}

export async function changeRoleAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const { slug, ...input } = formObject(form);
    await changeMemberRole({ ...(await ctx()), teamSlug: slug ?? "", input });
    revalidatePath(`/teams/${slug}`);
    return { message: (await translate())("team.roleChanged") };
  });
}

export async function removeMemberAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const { slug, userId } = formObject(form);
    await removeMember({ ...(await ctx()), teamSlug: slug ?? "", userId: userId ?? "" });
    revalidatePath(`/teams/${slug}`);
  });
}

export async function createTokenAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const { slug, ...input } = formObject(form);
    const created = await createApiToken({ ...(await ctx()), teamSlug: slug ?? "", input });
    revalidatePath(`/teams/${slug}`);
    return { secret: created.token };
  });
}

export async function revokeTokenAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const { slug, tokenId } = formObject(form);
    await revokeApiToken({ ...(await ctx()), teamSlug: slug ?? "", tokenId: tokenId ?? "" });
    revalidatePath(`/teams/${slug}`);
  });
}

export async function setQuotaAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const { slug, ...input } = formObject(form);
    await setTeamQuota({ ...(await ctx()), teamSlug: slug ?? "", input });
    revalidatePath(`/teams/${slug}`);
    return { message: (await translate())("team.quotaSaved") };
  });
}
