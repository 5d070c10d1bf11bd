import { drainHost } from "@/lib/hosts";
import { apiRoute } from "../../../../../../_server/api";

export const POST = apiRoute<{ id: string }>(async ({ prisma, principal, meta }, { id }) => drainHost({ prisma, principal, meta, hostId: id }));
