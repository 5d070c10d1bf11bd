import { z } from "zod";
import { refreshHost } from "@/lib/hosts";
import { fromZod } from "@/lib/core/errors";
import { readJsonBody } from "@/lib/core/validation";
import { apiRoute } from "@/app/_server/api";

const RefreshInput = z.object({ reprobe: z.boolean().default(false) });

export const POST = apiRoute<{ id: string }>(async ({ prisma, principal, meta, req }, { id }) => {
  const input = RefreshInput.safeParse(await readJsonBody(req));
  if (!input.success) throw fromZod(input.error, "Refresh");
  return refreshHost({ prisma, principal, meta, hostId: id, reprobe: input.data.reprobe });
});
