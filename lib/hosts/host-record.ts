import { AppError } from "../core/errors";
import type { Host, PrismaClient } from "../generated/prisma/client";

// Loading hosts. The sealed private key is selected only where SSH needs it; anything returned to
// a page or the API goes through `PUBLIC_HOST` (Prisma omits the column in the query itself).

export const PUBLIC_HOST = { privateKeyEnc: true } as const;
export type PublicHost = Omit<Host, "privateKeyEnc">;

/** A host row including its sealed key, for SSH work. Never return it from an API. */
export async function loadHost(prisma: PrismaClient, hostId: string): Promise<Host> {
  const host = /^[0-9a-f-]{36}$/i.test(hostId) ? await prisma.host.findUnique({ where: { id: hostId } }) : null;
  if (!host) throw new AppError("NOT_FOUND", "Host not found", { key: "error.host.notFound" });
  return host;
}

export function toPublicHost(host: Host): PublicHost {
  const { privateKeyEnc: _sealed, ...rest } = host;
  return rest;
}

/** The line to append to ~/.ssh/authorized_keys of the host's user: key usable for commands and forwards only. */
export function authorizedKeysLine(host: Pick<Host, "publicKey" | "name">): string {
  const [type, blob] = host.publicKey.trim().split(/\s+/);
  return `restrict,port-forwarding ${type} ${blob} skjold@${host.name}`;
}
