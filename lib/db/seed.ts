import { randomBytes } from "node:crypto";
import { env } from "../core/env";
import type { PrismaClient } from "../generated/prisma/client";
import { hashPassword } from "../auth/password";

// First-run data: the regions Skjold is sold in, a few plans, the image catalogue and the first
// platform admin. Idempotent: rows that exist are left as the admin has edited them.

export const SEED_REGIONS = [
  { code: "osl1", name: "Oslo", city: "Oslo", country: "NO", jurisdiction: "NO_EEA" },
  { code: "bgo1", name: "Bergen", city: "Bergen", country: "NO", jurisdiction: "NO_EEA" },
  { code: "sto1", name: "Stockholm", city: "Stockholm", country: "SE", jurisdiction: "EU" },
  { code: "hel1", name: "Helsinki", city: "Helsinki", country: "FI", jurisdiction: "EU" },
  { code: "fra1", name: "Frankfurt", city: "Frankfurt am Main", country: "DE", jurisdiction: "EU" },
  { code: "ams1", name: "Amsterdam", city: "Amsterdam", country: "NL", jurisdiction: "EU" },
] as const;

export const SEED_PLANS = [
  { code: "nano", name: "Nano", vcpus: 1, memoryMb: 512, diskGb: 10, priceNokMonthly: 49 },
  { code: "small", name: "Small", vcpus: 1, memoryMb: 2048, diskGb: 25, priceNokMonthly: 99 },
  { code: "medium", name: "Medium", vcpus: 2, memoryMb: 4096, diskGb: 50, priceNokMonthly: 199 },
  { code: "large", name: "Large", vcpus: 4, memoryMb: 8192, diskGb: 100, priceNokMonthly: 399 },
  { code: "xlarge", name: "X-Large", vcpus: 8, memoryMb: 16384, diskGb: 200, priceNokMonthly: 799 },
] as const;

const SEED_IMAGES = [{ slug: "debian-12", name: "Debian 12 (bookworm)", os: "debian", version: "12", adminUser: "skjold" }] as const;

export interface SeedOptions {
  log?: (line: string) => void;
  adminEmail?: string;
  adminPassword?: string;
}

export async function seedDatabase(prisma: PrismaClient, opts: SeedOptions = {}): Promise<{ adminCreated: boolean }> {
  for (const r of SEED_REGIONS) {
    await prisma.region.upsert({ where: { code: r.code }, update: {}, create: { ...r } });
  }
  for (const p of SEED_PLANS) {
    await prisma.plan.upsert({ where: { code: p.code }, update: {}, create: { ...p } });
  }
  for (const i of SEED_IMAGES) {
    await prisma.image.upsert({ where: { slug: i.slug }, update: {}, create: { ...i } });
  }
  const admins = await prisma.user.count({ where: { isAdmin: true } });
  if (admins > 0) return { adminCreated: false };

  const e = env();
  const email = (opts.adminEmail ?? e.SKJOLD_ADMIN_EMAIL).toLowerCase();
  const given = opts.adminPassword ?? e.SKJOLD_ADMIN_PASSWORD;
  const password = given ?? randomBytes(15).toString("base64url");
  await prisma.user.upsert({
    where: { email },
    update: { isAdmin: true },
    create: { email, name: "Platform admin", isAdmin: true, passwordHash: await hashPassword(password) },
  });
  const log = opts.log ?? (() => undefined);
  if (given) {
    log(`[skjold] first admin created: ${email} (password from SKJOLD_ADMIN_PASSWORD)`);
  } else {
    // Printed once, on the run that creates the account; it is stored only as an argon2id hash.
    log(`[skjold] first admin created: ${email}  password: ${password}  (shown once; change it after signing in)`);
  }
  return { adminCreated: true };
}
