import type { Principal, RequestMeta } from "../access/principal";
import type { PrismaClient } from "../generated/prisma/client";
import type { SshPool } from "../ssh/pool";
import { createLabAddressPools } from "./create-lab-address-pools";
import { createLabTeam } from "./create-lab-team";
import type { LabFacts } from "./lab-facts";
import { onboardLabHost } from "./onboard-lab-host";
import { registerLabImage } from "./register-lab-image";

export interface OnboardLabResult {
  hosts: { name: string; networkMode: string; changes: string[] }[];
  imagesRegistered: string[];
  poolsCreated: string[];
  teamCreated: boolean;
  keysAdded: string[];
  /** false when the portal already had everything: a second run changes nothing */
  changed: boolean;
}

/**
 * `npm start -- --lab`: makes a fresh portal ready to order from the machine's lab. Onboards every lab
 * host with its key pinned from the lab's own files and discovered, registers the guest image with its
 * kernel and initrd on each, defines the network lab's address pools, and gives the admin a team and
 * their SSH keys. Each part goes through the admin's own domain functions (same checks, same audit
 * events) and is skipped when it is already done, so running it again changes nothing.
 */
export async function onboardLab(opts: {
  prisma: PrismaClient;
  principal: Extract<Principal, { kind: "user" }>;
  facts: LabFacts;
  regionCode?: string;
  publicKeys?: { name: string; publicKey: string }[];
  sshPool?: SshPool;
  meta?: RequestMeta;
  log?: (line: string) => void;
}): Promise<OnboardLabResult> {
  const { prisma, principal, facts, sshPool, meta } = opts;
  const regionCode = opts.regionCode ?? "osl1";
  const log = opts.log ?? (() => undefined);
  const hosts: OnboardLabResult["hosts"] = [];
  const imagesRegistered: string[] = [];
  for (const host of facts.hosts) {
    log(`${host.name} (${host.networkMode.toLowerCase()}, ${host.address}:${host.port})…`);
    const { hostId, changes } = await onboardLabHost({
      prisma,
      principal,
      facts: host,
      regionCode,
      privateKey: facts.privateKey,
      probeKernelPath: facts.image.kernelPath,
      sshPool,
      meta,
    });
    const image = await registerLabImage({ prisma, principal, hostId, storagePool: host.storagePool, image: facts.image, sshPool, meta });
    if (image.registered) {
      changes.push(`image ${image.slug} registered (${facts.image.volume}, kernel and initrd)`);
      imagesRegistered.push(`${image.slug}@${host.name}`);
    }
    log(`${host.name}: ${changes.length ? changes.join("; ") : "already onboarded"}`);
    hosts.push({ name: host.name, networkMode: host.networkMode, changes });
  }
  const poolsCreated = await createLabAddressPools({ prisma, principal, regionCode, hosts: facts.hosts, dns: facts.dns, meta });
  if (poolsCreated.length) log(`address pools: ${poolsCreated.join(", ")}`);
  const team = await createLabTeam({ prisma, principal, publicKeys: opts.publicKeys ?? [], meta });
  const changed = hosts.some((h) => h.changes.length > 0) || poolsCreated.length > 0 || team.teamCreated || team.keysAdded.length > 0;
  return { hosts, imagesRegistered, poolsCreated, ...team, changed };
}
