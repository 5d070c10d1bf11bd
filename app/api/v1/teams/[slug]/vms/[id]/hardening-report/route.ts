import { z } from "zod";
import { notFound } from "@/lib/core/errors";
import { latestVmHardeningReport } from "@/lib/vms/queries/hardening-report";
import { apiRoute } from "@/app/_server/api";

/** GET: the VM's latest hardening evidence report as a JSON download (controls, evidence, references, drift). */
export const GET = apiRoute<{ slug: string; id: string }>(async ({ prisma, principal }, { slug, id }) => {
  if (!z.uuid().safeParse(id).success) throw notFound("VM not found");
  const report = await latestVmHardeningReport({ prisma, principal, teamSlug: slug, vmId: id });
  const name = `skjold-hardening-${report.vm}-${report.createdAt.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-")}.json`;
  return new Response(JSON.stringify(report, null, 2), {
    headers: { "content-type": "application/json", "content-disposition": `attachment; filename="${name}"` },
  });
});
