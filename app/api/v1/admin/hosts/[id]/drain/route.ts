import { drainHost } from "@/lib/hosts";
import { apiRoute } from "@/app/_server/api";

export const POST = apiRoute<{ id: string }>({ role: "admin" }, async ({ prisma, principal, meta }, { id }) =>
  drainHost({ prisma, principal, meta, hostId: id }),
);
