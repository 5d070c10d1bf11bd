import type { Principal } from "../access/principal";
import { requireAdmin } from "../access/team-access";
import { AppError } from "../core/errors";
import { findPage, listOrder, mapPage, type PageRequest } from "../core/pagination";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { summarizeCapacity, type HostCapacity } from "./capacity";
import { authorizedKeysLine, PUBLIC_HOST } from "./host-record";
import { readDriftReport, type StoredDrift } from "./drift-store";

// Read models for the admin pages and the API. Built with Prisma's `omit`, so the sealed private
// key is not even read from the database here.

const HOST_ORDER = listOrder<Prisma.HostWhereInput, Prisma.HostOrderByWithRelationInput>("hosts", [
  { field: "name", dir: "asc", kind: "text" },
  { field: "id", dir: "asc", kind: "uuid" },
]);

/** A page of the hosts by name, each with its pools and capacity. */
export async function listHosts(opts: { prisma: PrismaClient; principal: Principal; page: PageRequest }) {
  requireAdmin(opts.principal);
  const page = await findPage({
    order: HOST_ORDER,
    page: opts.page,
    find: (query) =>
      opts.prisma.host.findMany({
        ...query,
        omit: PUBLIC_HOST,
        include: {
          region: { select: { code: true, name: true, country: true } },
          pools: true,
          vms: { select: { state: true, vcpus: true, memoryMb: true, diskGb: true } },
        },
      }),
  });
  return mapPage(page, ({ pools, vms, ...host }) => ({ ...host, pools, capacity: summarizeCapacity({ host, pools, vms }) }));
}

export async function getHostDetail(opts: { prisma: PrismaClient; principal: Principal; hostId: string }) {
  requireAdmin(opts.principal);
  const host = /^[0-9a-f-]{36}$/i.test(opts.hostId)
    ? await opts.prisma.host.findUnique({
        where: { id: opts.hostId },
        omit: PUBLIC_HOST,
        include: {
          region: { select: { code: true, name: true, country: true, jurisdiction: true } },
          pools: { orderBy: { name: "asc" } },
          images: {
            include: { image: { select: { slug: true, name: true } }, pool: { select: { name: true } } },
            orderBy: { createdAt: "asc" },
          },
          vms: {
            where: { state: { not: "DELETED" } },
            select: {
              id: true,
              name: true,
              domainName: true,
              state: true,
              vcpus: true,
              memoryMb: true,
              diskGb: true,
              team: { select: { slug: true, name: true } },
            },
            orderBy: { createdAt: "asc" },
          },
        },
      })
    : null;
  if (!host) throw new AppError("NOT_FOUND", "Host not found", { key: "error.host.notFound" });
  const capacity: HostCapacity = summarizeCapacity({ host, pools: host.pools, vms: host.vms });
  const drift: StoredDrift | null = await readDriftReport({ prisma: opts.prisma, hostId: host.id });
  return { ...host, capacity, authorizedKeysLine: authorizedKeysLine(host), drift };
}

export type HostDetail = Awaited<ReturnType<typeof getHostDetail>>;
