import type { PrismaClient } from "../../generated/prisma/client";

/** One line of the VM's history, shown live on its page (cut to 1,000 characters). */
export async function addVmEvent(opts: {
  prisma: Pick<PrismaClient, "vmEvent">;
  vmId: string;
  kind: string;
  message: string;
}): Promise<void> {
  await opts.prisma.vmEvent.create({ data: { vmId: opts.vmId, kind: opts.kind, message: opts.message.slice(0, 1_000) } });
}
