// Onboards this machine's lab into the portal's database: `npm start -- --lab` runs it after
// scripts/lab-host and scripts/build-guest-image and before the portal serves (the embedded database
// is single-process, so this runs while the portal is not yet holding it).
//   node --import tsx scripts/lab-onboard.ts [--network]   (same SKJOLD_DATA_DIR / DATABASE_URL as the portal)
// --network also onboards the network lab's hosts (scripts/lab-host up --hosts N) and their pools.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { getDatabase } from "@/lib/db";
import { sharedSshPool } from "@/lib/hosts/host-target";
import { readLabFacts } from "@/lib/lab/lab-facts";
import { LAB_TEAM } from "@/lib/lab/create-lab-team";
import { onboardLab } from "@/lib/lab/onboard-lab";

const say = (line: string) => console.log(`[skjold] lab: ${line}`);

/** The public keys of whoever started the lab, so the order form has a key to pick. */
function ownPublicKeys(): { name: string; publicKey: string }[] {
  const dir = path.join(homedir(), ".ssh");
  return ["id_ed25519.pub", "id_ecdsa.pub", "id_rsa.pub"]
    .map((f) => path.join(dir, f))
    .filter((f) => existsSync(f))
    .map((f) => ({ name: `lab: ${f}`.slice(0, 60), publicKey: readFileSync(f, "utf8").trim() }));
}

async function main(): Promise<void> {
  const facts = readLabFacts({ network: process.argv.includes("--network") });
  const db = await getDatabase(); // migrates, seeds, and prints the first admin's password on first run
  try {
    const admin = await db.prisma.user.findFirst({ where: { isAdmin: true }, orderBy: { createdAt: "asc" } });
    if (!admin) throw new Error("no platform admin in the database");
    const publicKeys = ownPublicKeys();
    const result = await onboardLab({
      prisma: db.prisma,
      principal: {
        kind: "user",
        userId: admin.id,
        email: admin.email,
        name: admin.name,
        isAdmin: true,
        locale: admin.locale,
        sessionId: "00000000-0000-0000-0000-000000000000",
      },
      facts,
      publicKeys,
      sshPool: sharedSshPool(),
      meta: { userAgent: "npm start -- --lab" },
      log: say,
    });
    if (result.teamCreated) say(`team ${LAB_TEAM.name} (/teams/${LAB_TEAM.slug}) created, owned by ${admin.email}`);
    for (const k of result.keysAdded) say(`SSH key added to ${admin.email}: ${k}`);
    if (publicKeys.length === 0) say(`no ~/.ssh/id_*.pub here: add your SSH public key under Account → SSH keys before ordering`);
    say(result.changed ? "onboarded" : "already onboarded: nothing changed");
  } finally {
    await db.close();
    await sharedSshPool().close();
  }
}

main().catch((err: unknown) => {
  console.error(`[skjold] lab: onboarding failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
