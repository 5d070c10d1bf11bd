"use server";

import { revalidatePath } from "next/cache";
import { getPrisma } from "@/lib/db";
import { addLatencyTarget, editLatencyTarget, probeLatencyNow, removeLatencyTarget } from "@/lib/latency/admin";
import { sshProbeExec } from "@/lib/latency/probe-exec";
import { LatencyTargetFormSchema } from "@/lib/latency/target-form";
import { fromZod } from "@/lib/core/errors";
import { getT } from "@/app/_i18n/server";
import { formObject, runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";

async function ctx() {
  const principal = await requireUser();
  return { prisma: await getPrisma(), principal, meta: await requestMeta(), t: (await getT(principal.locale)).t };
}

function targetInput(form: FormData) {
  const parsed = LatencyTargetFormSchema.safeParse(formObject(form));
  if (!parsed.success) throw fromZod(parsed.error, "Invalid probe target");
  return parsed.data;
}

function done() {
  revalidatePath("/admin/latency");
  revalidatePath("/regions", "layout");
}

export async function addTargetAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const { t, ...c } = await ctx();
    const target = await addLatencyTarget({ ...c, input: targetInput(form) });
    done();
    return { message: t("latency.targetAdded", { name: `${target.exchange} · ${target.name}` }) };
  });
}

export async function editTargetAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const { t, ...c } = await ctx();
    const target = await editLatencyTarget({ ...c, id: String(form.get("id")), input: targetInput(form) });
    done();
    return { message: t("latency.targetSaved", { name: `${target.exchange} · ${target.name}` }) };
  });
}

export async function deleteTargetAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const { t, ...c } = await ctx();
    await removeLatencyTarget({ ...c, id: String(form.get("id")) });
    done();
    return { message: t("latency.targetDeleted") };
  });
}

export async function probeNowAction(): Promise<ActionState> {
  return runAction(async () => {
    const { t, ...c } = await ctx();
    const round = await probeLatencyNow({ ...c, exec: sshProbeExec({ prisma: c.prisma }) });
    done();
    if (round.targets === 0) return { ok: false, error: t("latency.probeNoTargets") };
    if (round.hosts.length === 0) return { ok: false, error: t("latency.probeNoHosts") };
    const detail = round.hosts
      .map((h) => `${h.hostName}: ${h.samples - h.failedSamples}/${h.samples} ${t("latency.probeOk")}${h.error ? ` (${h.error})` : ""}`)
      .join("; ");
    return { message: t("latency.probeResult", { targets: String(round.targets), hosts: String(round.hosts.length), detail }) };
  });
}
