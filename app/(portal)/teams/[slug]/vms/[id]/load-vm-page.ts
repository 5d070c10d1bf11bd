import { notFound } from "next/navigation";
import { requireTeam } from "@/lib/access/team-access";
import { AppError } from "@/lib/core/errors";
import { getPrisma } from "@/lib/db";
import { getVmDetail } from "@/lib/vms/queries/get-vm-detail";
import { getT } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";

/** What a VM's pages read first: the user, their words, their role in the team and the VM (404 for anyone outside it). */
export async function loadVmPage(params: Promise<{ slug: string; id: string }>) {
  const { slug, id } = await params;
  const user = await requireUser();
  const prisma = await getPrisma();
  const { t } = await getT(user.locale);
  const hide = (e: unknown): never => {
    if (e instanceof AppError && (e.code === "NOT_FOUND" || e.code === "VALIDATION")) notFound();
    throw e;
  };
  const { role } = await requireTeam({ prisma, principal: user, slug, need: "read" }).catch(hide);
  const vm = await getVmDetail({ prisma, principal: user, teamSlug: slug, vmId: id }).catch(hide);
  return { slug, id, user, prisma, t, role, vm };
}
