import { addHost, listHosts } from "@/lib/hosts";
import { readJsonBody } from "@/lib/core/validation";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(async ({ prisma, principal }) => listHosts({ prisma, principal }));

export const POST = apiRoute(async ({ prisma, principal, meta, req }) =>
  addHost({ prisma, principal, meta, input: await readJsonBody(req, 32 * 1024) }),
);
