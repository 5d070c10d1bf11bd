"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import {
  addHost,
  adoptDrift,
  cleanUpDrift,
  confirmHostKey,
  drainHost,
  reconcileHost,
  refreshHost,
  registerImage,
  removeHost,
  undrainHost,
} from "@/lib/hosts";
import { driftCount } from "@/lib/hosts/drift";
import { setHostOutageWait } from "@/lib/hosts/set-host-outage-wait";
import { setConsoleIdle } from "@/lib/vms/console/set-console-idle";
import { formatDuration } from "@/lib/jobs/decide-after-failure";
import { getPrisma } from "@/lib/db";
import { fieldText } from "@/app/_i18n/lib-text";
import { getT } from "@/app/_i18n/server";
import { formObject, runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";

async function ctx() {
  return { prisma: await getPrisma(), principal: await requireUser(), meta: await requestMeta() };
}

async function translate() {
  return (await getT((await requireUser()).locale)).t;
}

const hostIdOf = (form: FormData) => String(form.get("hostId") ?? "");
const done = (hostId: string) => revalidatePath(`/admin/hosts/${hostId}`);

export async function addHostAction(_p: ActionState, form: FormData): Promise<ActionState> {
  let id = "";
  const state = await runAction(async () => {
    id = (await addHost({ ...(await ctx()), input: formObject(form) })).host.id;
  });
  if (state.ok) redirect(`/admin/hosts/${id}`); // the confirmation screen
  return state;
}

export async function confirmKeyAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const input = { fingerprint: form.get("fingerprint"), probeKernelPath: form.get("probeKernelPath") ?? undefined };
    const r = await confirmHostKey({ ...(await ctx()), hostId: hostIdOf(form), input });
    done(hostIdOf(form));
    const t = await translate();
    return r.error ? { ok: false, error: t("hosts.keyPinnedDiscoveryFailed", { error: r.error }) } : { message: t("hosts.keyPinned") };
  });
}

export async function refreshHostAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    await refreshHost({ ...(await ctx()), hostId: hostIdOf(form), reprobe: form.get("reprobe") === "1" });
    done(hostIdOf(form));
    return { message: (await translate())("hosts.refreshed") };
  });
}

export async function drainHostAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const draining = form.get("draining") === "1";
    await (draining ? drainHost : undrainHost)({ ...(await ctx()), hostId: hostIdOf(form) });
    done(hostIdOf(form));
  });
}

export async function removeHostAction(_p: ActionState, form: FormData): Promise<ActionState> {
  const state = await runAction(async () => {
    await removeHost({ ...(await ctx()), hostId: hostIdOf(form) });
  });
  if (state.ok) redirect("/admin/hosts");
  return state;
}

export async function reconcileHostAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const drift = await reconcileHost({ ...(await ctx()), hostId: hostIdOf(form) });
    done(hostIdOf(form));
    return { message: (await translate())("hosts.driftFound", { count: driftCount(drift) }) };
  });
}

/** One drift item: kind=domain|volume, name, pool; op=cleanup|adopt. */
export async function driftItemAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const name = String(form.get("name") ?? "");
    const input = form.get("kind") === "domain" ? { domains: [name] } : { volumes: [{ pool: String(form.get("pool") ?? ""), name }] };
    const op = form.get("op") === "adopt" ? adoptDrift : cleanUpDrift;
    const r = await op({ ...(await ctx()), hostId: hostIdOf(form), input });
    done(hostIdOf(form));
    const refused = "refused" in r ? r.refused : [];
    const t = await translate();
    if (refused.length) return { ok: false, error: refused.map((x) => `${x.name}: ${fieldText(x.reason, t)}`).join("; ") };
    return {
      message: "cleaned" in r ? t("hosts.cleaned", { names: r.cleaned.join(", ") }) : t("hosts.adopted", { names: r.adopted.join(", ") }),
    };
  });
}

export async function registerImageAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const input: Record<string, string> = formObject(form);
    if (input.hostPool) [input.hostId = "", input.pool = ""] = input.hostPool.split("/"); // the images page picks both at once
    delete input.hostPool;
    const copy = await registerImage({ ...(await ctx()), input });
    revalidatePath("/admin/images");
    done(copy.hostId);
    return { message: (await translate())("images.registered", { volume: copy.volume, sha: copy.checksumSha256.slice(0, 16) }) };
  });
}

/** The page asks in minutes; the setting is kept in seconds. */
export async function setOutageWaitAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const c = await ctx();
    const { t } = await getT(c.principal.locale);
    const minutes = String(form.get("minutes") ?? "").trim();
    const seconds = /^\d+(\.\d+)?$/.test(minutes) ? Math.round(Number(minutes) * 60) : minutes;
    const { waitSeconds } = await setHostOutageWait({ ...c, input: { waitSeconds: seconds } });
    revalidatePath("/admin/hosts");
    return { message: t("outage.waitSaved", { limit: formatDuration(waitSeconds * 1000) }) };
  });
}

/** The console sessions' idle limit, in minutes. */
export async function setConsoleIdleAction(_p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const c = await ctx();
    const { t } = await getT(c.principal.locale);
    const raw = String(form.get("idleMinutes") ?? "").trim();
    const { idleMinutes } = await setConsoleIdle({ ...c, input: { idleMinutes: /^\d+$/.test(raw) ? Number(raw) : raw } });
    revalidatePath("/admin/hosts");
    return { message: t("consoleIdle.saved", { minutes: idleMinutes }) };
  });
}
