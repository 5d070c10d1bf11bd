import { undrainHost } from "@/lib/hosts";
import { apiRoute } from "../../../../../../_server/api";

export const POST = apiRoute<{ id: string }>(async ({ prisma, principal, meta }, { id }) => undrainHost({ prisma, principal, meta, hostId: id }));
