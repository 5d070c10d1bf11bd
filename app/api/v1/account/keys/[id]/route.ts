import { deleteSshKey } from "@/lib/users/ssh-keys";
import { apiRoute } from "@/app/_server/api";

export const DELETE = apiRoute<{ id: string }>(async ({ prisma, principal, meta }, { id }) => {
  await deleteSshKey({ prisma, principal, keyId: id, meta });
  return { deleted: true };
});
