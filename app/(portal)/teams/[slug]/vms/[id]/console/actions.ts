"use server";

import { getPrisma } from "@/lib/db";
import { openVmConsole } from "@/lib/vms/console/open-vm-console";
import { setConsolePassword } from "@/lib/vms/console/set-console-password";
import { errorText } from "@/app/_i18n/lib-text";
import { getT } from "@/app/_i18n/server";
import { runAction, type ActionState } from "@/app/_server/actions";
import { requestMeta, requireUser } from "@/app/_server/request";

/** Opens a console session for the page (its stream and keystrokes then go through /api/v1); a refusal in the user's words. */
export async function openConsoleAction(slug: string, vmId: string): Promise<{ sessionId?: string; error?: string }> {
  const principal = await requireUser();
  try {
    const { session } = await openVmConsole({ prisma: await getPrisma(), principal, meta: await requestMeta(), teamSlug: slug, vmId });
    return { sessionId: session.id };
  } catch (err) {
    return { error: errorText(err, (await getT(principal.locale)).t) };
  }
}

/** "Set console password": sent to the guest on chpasswd's stdin; the form never shows it again. */
export async function consolePasswordAction(slug: string, vmId: string, _p: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const principal = await requireUser();
    await setConsolePassword({
      prisma: await getPrisma(),
      principal,
      meta: await requestMeta(),
      teamSlug: slug,
      vmId,
      input: { password: String(form.get("password") ?? "") },
    });
    return { message: (await getT(principal.locale)).t("console.passwordSet") };
  });
}
