import { readJsonBody } from "@/lib/core/validation";
import { addSshKey, listSshKeys } from "@/lib/users/ssh-keys";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(async ({ prisma, principal }) => ({ keys: await listSshKeys({ prisma, principal }) }));

export const POST = apiRoute(async ({ prisma, principal, meta, req }) => {
  const key = await addSshKey({ prisma, principal, input: await readJsonBody(req, 32 * 1024), meta });
  return Response.json(key, { status: 201 });
});
