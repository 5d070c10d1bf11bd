import { readPageQuery } from "@/lib/core/pagination";
import { addHost, listHosts } from "@/lib/hosts";
import { AddHostInput } from "@/lib/hosts/schemas";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute({ role: "admin" }, async ({ prisma, principal, req }) =>
  listHosts({ prisma, principal, page: readPageQuery(req.nextUrl.searchParams) }),
);

export const POST = apiRoute({ role: "admin", body: AddHostInput, maxBytes: 32 * 1024 }, async ({ prisma, principal, meta, body }) =>
  addHost({ prisma, principal, meta, input: body }),
);
