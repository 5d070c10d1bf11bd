import { readPageQuery } from "@/lib/core/pagination";
import { addSshKey, AddSshKeyInput, listSshKeys } from "@/lib/users/ssh-keys";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(async ({ prisma, principal, req }) =>
  listSshKeys({ prisma, principal, page: readPageQuery(req.nextUrl.searchParams) }),
);

export const POST = apiRoute({ body: AddSshKeyInput, maxBytes: 32 * 1024 }, async ({ prisma, principal, meta, body }) => {
  const key = await addSshKey({ prisma, principal, input: body, meta });
  return Response.json(key, { status: 201 });
});
