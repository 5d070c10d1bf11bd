import type { Prisma, PrismaClient } from "../../generated/prisma/client";

/**
 * One line of the VM's history, shown live on its page (cut to 1,000 characters). `data` holds what
 * the English message says as values, for a page that words the event in the reader's language.
 */
export async function addVmEvent(opts: {
  prisma: Pick<PrismaClient, "vmEvent">;
  vmId: string;
  kind: string;
  message: string;
  data?: Prisma.InputJsonObject;
}): Promise<void> {
  await opts.prisma.vmEvent.create({
    data: { vmId: opts.vmId, kind: opts.kind, message: opts.message.slice(0, 1_000), data: opts.data },
  });
}
