import { getHostDetail, removeHost } from "@/lib/hosts";
import { apiRoute } from "@/app/_server/api";

type P = { id: string };

export const GET = apiRoute<P>({ role: "admin" }, async ({ prisma, principal }, { id }) =>
  getHostDetail({ prisma, principal, hostId: id }),
);

export const DELETE = apiRoute<P>({ role: "admin" }, async ({ prisma, principal, meta }, { id }) =>
  removeHost({ prisma, principal, meta, hostId: id }),
);
