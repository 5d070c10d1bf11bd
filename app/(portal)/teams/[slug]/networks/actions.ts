"use server";

import { revalidatePath } from "next/cache";
import { getPrisma } from "@/lib/db";
import { createPrivateNetwork } from "@/lib/network/private/create-private-network";
import { deletePrivateNetwork } from "@/lib/network/private/delete-private-network";
import { getT } from "@/app/_i18n/server";
import { runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";

async function ctx(form: FormData) {
  return { prisma: await getPrisma(), principal: await requireUser(), meta: await requestMeta(), teamSlug: String(form.get("slug") ?? "") };
}

const optional = (form: FormData, name: string) => {
  const v = String(form.get(name) ?? "").trim();
  return v === "" || v === "none" ? null : v;
};

export async function createPrivateNetworkAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const c = await ctx(form);
    const net = await createPrivateNetwork({
      ...c,
      input: {
        name: String(form.get("name") ?? ""),
        regionCode: String(form.get("regionCode") ?? ""),
        cidr: optional(form, "cidr"),
        ipv6Prefix: optional(form, "ipv6Prefix"),
      },
    });
    revalidatePath(`/teams/${c.teamSlug}/networks`);
    return { message: (await getT(c.principal.locale)).t("pnet.created", { name: net.name, cidr: net.cidr, vni: net.vni }) };
  });
}

export async function deletePrivateNetworkAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const c = await ctx(form);
    await deletePrivateNetwork({ ...c, networkId: String(form.get("networkId") ?? "") });
    revalidatePath(`/teams/${c.teamSlug}/networks`);
    return { message: (await getT(c.principal.locale)).t("pnet.deleted") };
  });
}
