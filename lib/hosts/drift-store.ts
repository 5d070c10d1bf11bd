import { z } from "zod";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import type { Drift } from "./drift";

// The last drift report of each host and what an admin adopted, kept as settings (no new table):
// "hosts.drift.<hostId>" and "hosts.adopted.<hostId>".

export interface StoredDrift {
  at: string;
  drift: Drift;
}

const AdoptedSchema = z.object({ domains: z.array(z.string()).default([]), volumes: z.array(z.string()).default([]) });
export type Adopted = z.infer<typeof AdoptedSchema>;

const driftKey = (hostId: string) => `hosts.drift.${hostId}`;
const adoptedKey = (hostId: string) => `hosts.adopted.${hostId}`;

export async function readDriftReport(opts: { prisma: PrismaClient; hostId: string }): Promise<StoredDrift | null> {
  const row = await opts.prisma.setting.findUnique({ where: { key: driftKey(opts.hostId) } });
  return (row?.value as StoredDrift | undefined) ?? null;
}

export async function writeDriftReport(opts: { prisma: PrismaClient; hostId: string; drift: Drift; at: Date }): Promise<void> {
  const value = { at: opts.at.toISOString(), drift: opts.drift } as unknown as Prisma.InputJsonValue;
  await opts.prisma.setting.upsert({
    where: { key: driftKey(opts.hostId) },
    update: { value },
    create: { key: driftKey(opts.hostId), value },
  });
}

export async function readAdopted(opts: { prisma: PrismaClient; hostId: string }): Promise<Adopted> {
  const row = await opts.prisma.setting.findUnique({ where: { key: adoptedKey(opts.hostId) } });
  const parsed = AdoptedSchema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : { domains: [], volumes: [] };
}

export async function addAdopted(opts: { prisma: PrismaClient; hostId: string; domains: string[]; volumes: string[] }): Promise<Adopted> {
  const current = await readAdopted(opts);
  const next = {
    domains: [...new Set([...current.domains, ...opts.domains])],
    volumes: [...new Set([...current.volumes, ...opts.volumes])],
  };
  await opts.prisma.setting.upsert({
    where: { key: adoptedKey(opts.hostId) },
    update: { value: next },
    create: { key: adoptedKey(opts.hostId), value: next },
  });
  return next;
}

export async function forgetHostSettings(opts: { prisma: PrismaClient; hostId: string }): Promise<void> {
  await opts.prisma.setting.deleteMany({ where: { key: { in: [driftKey(opts.hostId), adoptedKey(opts.hostId)] } } });
}
