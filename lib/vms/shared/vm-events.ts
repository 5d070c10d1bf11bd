import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import type { EventParams, VmEventKey } from "./vm-event-text";

/**
 * One line of the VM's history, shown live on its page (cut to 1,000 characters). `data` holds what
 * the English message says as values, for a page that words the event in the reader's language:
 * `key` and `params` (lib/vms/shared/vm-event-text.ts) are kept in it as `data.text`.
 */
export async function addVmEvent(opts: {
  prisma: Pick<PrismaClient, "vmEvent">;
  vmId: string;
  kind: string;
  message: string;
  data?: Prisma.InputJsonObject;
  key?: VmEventKey;
  params?: EventParams;
}): Promise<void> {
  const text = opts.key ? { text: { key: opts.key, params: JSON.parse(JSON.stringify(opts.params ?? {})) } } : {};
  const data = opts.data || opts.key ? { ...opts.data, ...text } : undefined;
  await opts.prisma.vmEvent.create({
    data: { vmId: opts.vmId, kind: opts.kind, message: opts.message.slice(0, 1_000), data },
  });
}
