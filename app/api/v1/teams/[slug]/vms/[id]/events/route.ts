import { z } from "zod";
import { notFound } from "@/lib/core/errors";
import { getVmDetail } from "@/lib/vms/queries/get-vm-detail";
import { errorText, jobErrorText } from "@/app/_i18n/lib-text";
import { getT } from "@/app/_i18n/server";
import { apiRoute } from "@/app/_server/api";
import { SSE_HEADERS, streamJobEvents } from "./sse";

/** GET /api/v1/teams/{slug}/vms/{id}/events[?job=<id>]: the VM's latest (or the given) job, live. */
export const GET = apiRoute<{ slug: string; id: string }>(async ({ prisma, principal, req }, { slug, id }) => {
  if (!z.uuid().safeParse(id).success) throw notFound("VM not found");
  const vm = await getVmDetail({ prisma, principal, teamSlug: slug, vmId: id });
  const wanted = req.nextUrl.searchParams.get("job");
  const job = wanted ? vm.jobs.find((j) => j.id === wanted) : vm.jobs[0];
  if (!job) throw notFound(wanted ? "That job does not belong to this VM" : "This VM has no job to follow");
  // A person's browser (the VM page) reads the failure in its user's language; an API client in English.
  const t = principal.kind === "user" ? (await getT(principal.locale)).t : null;
  const failureText = t
    ? (err: unknown) => (err instanceof Error && err.name === "AppError" ? errorText(err, t) : t("error.stream.failed"))
    : undefined;
  const jobErrors = t ? (stored: string) => jobErrorText(stored, t) : undefined;
  return new Response(streamJobEvents({ prisma, jobId: job.id, signal: req.signal, failureText, errorText: jobErrors }), {
    headers: SSE_HEADERS,
  });
});
