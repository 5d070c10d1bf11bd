import { probeLatencyNow } from "@/lib/latency/admin";
import { sshProbeExec } from "@/lib/latency/probe-exec";
import { apiRoute } from "@/app/_server/api";

// "Probe now": every enabled target from every online host, at once; answers with each host's result.
export const POST = apiRoute({ role: "admin" }, async ({ prisma, principal, meta }) =>
  probeLatencyNow({ prisma, principal, meta, exec: sshProbeExec({ prisma }) }),
);
