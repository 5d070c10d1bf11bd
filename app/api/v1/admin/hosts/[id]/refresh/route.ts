import { z } from "zod";
import { refreshHost } from "@/lib/hosts";
import { apiRoute } from "@/app/_server/api";

const RefreshInput = z.object({ reprobe: z.boolean().default(false) });

export const POST = apiRoute({ role: "admin", body: RefreshInput }, async ({ prisma, principal, meta, body }, { id }: { id: string }) =>
  refreshHost({ prisma, principal, meta, hostId: id, reprobe: body.reprobe }),
);
