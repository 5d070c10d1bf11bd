"use server";

import { revalidatePath } from "next/cache";
import { AppError } from "@/lib/core/errors";
import { getPrisma } from "@/lib/db";
import { getVmDetail } from "@/lib/vms/queries/get-vm-detail";
import { VmPowerActionSchema } from "@/lib/vms/power/schemas";
import { deleteVm } from "@/lib/vms/delete/delete-vm";
import { verifyVmNow } from "@/lib/vms/verify/verify-vm-now";
import { vmPowerAction } from "@/lib/vms/power/vm-power-action";
import { setVmFirewall } from "@/lib/vms/firewall/set-vm-firewall";
import { resizeVm } from "@/lib/vms/resize/resize-vm";
import { backupVm } from "@/lib/vms/backup/backup-vm";
import { deleteBackup } from "@/lib/vms/backup/delete-backup";
import { restoreBackup } from "@/lib/vms/backup/restore-backup";
import { attachPrivateNetwork, detachPrivateNetwork } from "@/lib/vms/private/change-private-network";
import { getT } from "@/app/_i18n/server";
import { runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";

async function ctx() {
  return { prisma: await getPrisma(), principal: await requireUser(), meta: await requestMeta() };
}

export async function powerAction(slug: string, vmId: string, _p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const action = VmPowerActionSchema.parse(form.get("action"));
    await vmPowerAction({ ...(await ctx()), teamSlug: slug, vmId, action });
    revalidatePath(`/teams/${slug}/vms/${vmId}`);
  });
}

/** The typed name is checked here too: the dialog's disabled button is a convenience, not a guard. */
export async function deleteVmAction(slug: string, vmId: string, _p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const c = await ctx();
    const vm = await getVmDetail({ ...c, teamSlug: slug, vmId });
    if (form.get("confirmName") !== vm.name) {
      throw new AppError("VALIDATION", (await getT(c.principal.locale)).t("vm.deleteTypeName", { name: vm.name }));
    }
    await deleteVm({ ...c, teamSlug: slug, vmId });
    revalidatePath(`/teams/${slug}/vms/${vmId}`);
    revalidatePath(`/teams/${slug}/vms`);
  });
}

/** Re-runs the hardening checks (a "vm.verify" job); the page follows it like any other job. */
export async function verifyAction(slug: string, vmId: string, _p: ActionState): Promise<ActionState> {
  return runAction(async () => {
    await verifyVmNow({ ...(await ctx()), teamSlug: slug, vmId });
    revalidatePath(`/teams/${slug}/vms/${vmId}`);
  });
}

/** The VM's rule sets as ticked on its page, replacing what it had (none ticked: no host firewall). */
export async function vmFirewallAction(slug: string, vmId: string, _p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const c = await ctx();
    const ruleSetIds = form.getAll("ruleSetId").map(String);
    const { ruleSets } = await setVmFirewall({ ...c, teamSlug: slug, vmId, input: { ruleSetIds } });
    revalidatePath(`/teams/${slug}/vms/${vmId}`);
    const vm = await getVmDetail({ ...c, teamSlug: slug, vmId });
    const { t } = await getT(c.principal.locale);
    return {
      message: ruleSets.length
        ? t("firewall.applied", { name: vm.name, sets: ruleSets.join(", ") })
        : t("firewall.appliedNone", { name: vm.name }),
    };
  });
}

/** A change of plan (a "vm.resize" job); refusals (a smaller disk, quota, the host's room) come back in words. */
export async function resizeAction(slug: string, vmId: string, _p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    await resizeVm({ ...(await ctx()), teamSlug: slug, vmId, input: { planCode: String(form.get("planCode") ?? "") } });
    revalidatePath(`/teams/${slug}/vms/${vmId}`);
  });
}

/** A backup to the chosen target (a "vm.backup" job); a target outside the team's policy is refused in words. */
export async function backupAction(slug: string, vmId: string, _p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    await backupVm({ ...(await ctx()), teamSlug: slug, vmId, input: { target: String(form.get("target") ?? "") } });
    revalidatePath(`/teams/${slug}/vms/${vmId}`);
  });
}

/** Restores the backup in place (a "vm.restore" job: checksums first, then stop, write back, start). */
export async function restoreBackupAction(slug: string, vmId: string, backupId: string, _p: ActionState): Promise<ActionState> {
  return runAction(async () => {
    await restoreBackup({ ...(await ctx()), teamSlug: slug, vmId, backupId });
    revalidatePath(`/teams/${slug}/vms/${vmId}`);
  });
}

/** Deletes the backup from its target (a "vm.backup-delete" job). */
export async function deleteBackupAction(slug: string, vmId: string, backupId: string, _p: ActionState): Promise<ActionState> {
  return runAction(async () => {
    await deleteBackup({ ...(await ctx()), teamSlug: slug, vmId, backupId });
    revalidatePath(`/teams/${slug}/vms/${vmId}`);
  });
}

export async function attachPrivateNetworkAction(slug: string, vmId: string, _p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const c = await ctx();
    const { ipv4 } = await attachPrivateNetwork({ ...c, teamSlug: slug, vmId, input: { networkId: String(form.get("networkId") ?? "") } });
    revalidatePath(`/teams/${slug}/vms/${vmId}`);
    return { message: (await getT(c.principal.locale)).t("pnet.attaching", { ipv4 }) };
  });
}

export async function detachPrivateNetworkAction(slug: string, vmId: string, networkId: string, _p: ActionState): Promise<ActionState> {
  return runAction(async () => {
    const c = await ctx();
    await detachPrivateNetwork({ ...c, teamSlug: slug, vmId, networkId });
    revalidatePath(`/teams/${slug}/vms/${vmId}`);
    return { message: (await getT(c.principal.locale)).t("pnet.detaching") };
  });
}
