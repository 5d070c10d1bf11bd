import type { NextRequest } from "next/server";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { env } from "@/lib/core/env";
import { getPrisma } from "@/lib/db";
import { authorizeMetricsScrape } from "@/lib/latency/metrics-access";
import { renderLatencyMetrics } from "@/lib/latency/metrics";
import { jsonError } from "@/app/_server/api";

// Prometheus exposition (text format 0.0.4): a platform admin's session, or
// `Authorization: Bearer <SKJOLD_METRICS_TOKEN>` when the operator set that variable.
export async function GET(req: NextRequest): Promise<Response> {
  try {
    const prisma = await getPrisma();
    await authorizeMetricsScrape({
      prisma,
      authorization: req.headers.get("authorization"),
      sessionToken: req.cookies.get(SESSION_COOKIE)?.value,
      metricsToken: env().SKJOLD_METRICS_TOKEN,
    });
    return new Response(await renderLatencyMetrics({ prisma }), {
      headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" },
    });
  } catch (err) {
    return jsonError(err);
  }
}
