import type { Principal, RequestMeta } from "../access/principal";
import { AppError } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import { addHost } from "../hosts/add-host";
import { confirmHostKey } from "../hosts/confirm-host-key";
import { refreshHostFacts } from "../hosts/refresh-host";
import type { SshPool } from "../ssh/pool";
import type { LabHostFacts } from "./lab-facts";

/**
 * One lab host, onboarded the way an admin does it in Admin → Hosts (add, compare the presented key,
 * confirm, discover), with the fingerprint taken from the lab's own files instead of a person's eyes.
 * A host that is already there with the same pinned key is left alone; one that is pinned to another
 * key is refused, never re-pinned behind the admin's back.
 */
export async function onboardLabHost(opts: {
  prisma: PrismaClient;
  principal: Principal;
  facts: LabHostFacts;
  regionCode: string;
  privateKey: string;
  /** the guest image's kernel: the accelerator probe boots it */
  probeKernelPath: string;
  sshPool?: SshPool;
  meta?: RequestMeta;
}): Promise<{ hostId: string; changes: string[] }> {
  const { prisma, principal, facts } = opts;
  const changes: string[] = [];
  let host = await prisma.host.findUnique({ where: { name: facts.name } });
  if (!host) {
    const added = await addHost({
      prisma,
      principal,
      meta: opts.meta,
      input: {
        name: facts.name,
        regionCode: opts.regionCode,
        address: facts.address,
        port: facts.port,
        username: facts.username,
        keyMode: "paste",
        privateKey: opts.privateKey,
        networkMode: facts.networkMode,
        uplink: facts.uplink ?? undefined,
        bridge: facts.bridge ?? undefined,
        guestAccess: facts.guestAccess,
      },
    });
    changes.push("added");
    host = await prisma.host.findUniqueOrThrow({ where: { id: added.host.id } });
  }
  const where = `${facts.name} (${facts.address}:${facts.port})`;
  if (host.status === "PENDING_KEY") {
    // confirmHostKey pins only if the host presents exactly this key now.
    const r = await confirmHostKey({
      prisma,
      principal,
      hostId: host.id,
      input: { fingerprint: facts.hostKeyFingerprint, probeKernelPath: opts.probeKernelPath },
      sshPool: opts.sshPool,
      meta: opts.meta,
    }).catch((err: unknown) => {
      if (err instanceof AppError && err.code === "CONFLICT")
        throw new AppError("CONFLICT", `${where}: the lab's files say its host key is ${facts.hostKeyFingerprint}. ${err.message}`);
      throw err;
    });
    changes.push(`host key ${facts.hostKeyFingerprint} pinned`);
    if (r.error) throw new AppError("HOST_UNREACHABLE", `${where}: host key pinned, but discovery failed: ${r.error}`);
    changes.push(`discovered (${r.facts?.accelerator ?? "accelerator unknown"})`);
  } else if (host.hostKeyFingerprint !== facts.hostKeyFingerprint) {
    throw new AppError(
      "CONFLICT",
      `${where} is pinned to host key ${host.hostKeyFingerprint}, but the lab's files now say ${facts.hostKeyFingerprint} (was the lab set up again?). ` +
        "Nothing was changed: remove the host in Admin → Hosts, or start on an empty SKJOLD_DATA_DIR, and run again.",
    );
  } else if (host.status !== "ONLINE") {
    await refreshHostFacts({ prisma, hostId: host.id, sshPool: opts.sshPool, probeKernelPath: opts.probeKernelPath });
    changes.push("discovered again");
  }
  return { hostId: host.id, changes };
}
