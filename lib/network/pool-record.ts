import { z } from "zod";
import { AppError } from "../core/errors";
import type { IpPool, Prisma } from "../generated/prisma/client";
import type { IpFamily } from "./ip";
import { unitPrefixLen, type PoolKind, type PoolShape } from "./ipam";
import type { PoolProblem } from "./pool-rules";

// An IpPool row as the rest of lib/network reads it: its kind (a pool routed to a host, or a
// segment's), its shape for the pure IPAM functions, and its public view.

export type PoolRow = Pick<
  IpPool,
  "id" | "name" | "family" | "hostId" | "cidr" | "gateway" | "rangeStart" | "rangeEnd" | "reserved" | "dns"
>;

export const familyOf = (f: IpPool["family"]): IpFamily => (f === "IPV4" ? 4 : 6);
export const kindOf = (p: Pick<IpPool, "hostId">): PoolKind => (p.hostId ? "routed" : "segment");

export function shapeOfRow(p: PoolRow): PoolShape {
  return {
    family: familyOf(p.family),
    kind: kindOf(p),
    cidr: p.cidr,
    gateway: p.gateway,
    rangeStart: p.rangeStart,
    rangeEnd: p.rangeEnd,
    reserved: p.reserved,
  };
}

export interface IpPoolView {
  id: string;
  name: string;
  regionCode: string;
  family: IpPool["family"];
  kind: PoolKind;
  cidr: string;
  /** a segment's router; null for a routed pool (its host is every guest's gateway) */
  gateway: string | null;
  host: { id: string; name: string } | null;
  rangeStart: string | null;
  rangeEnd: string | null;
  reserved: string[];
  dns: string[];
  /** what one VM receives: 32 (IPv4), 64 (a routed IPv6 /64), 128 (one address on a segment) */
  unitPrefixLen: number;
  createdAt: Date;
}

export const POOL_VIEW_INCLUDE = { region: { select: { code: true } }, host: { select: { id: true, name: true } } } as const;

export function viewIpPool(p: IpPool & { region: { code: string }; host: { id: string; name: string } | null }): IpPoolView {
  return {
    id: p.id,
    name: p.name,
    regionCode: p.region.code,
    family: p.family,
    kind: kindOf(p),
    cidr: p.cidr,
    gateway: p.gateway,
    host: p.host,
    rangeStart: p.rangeStart,
    rangeEnd: p.rangeEnd,
    reserved: p.reserved,
    dns: p.dns,
    unitPrefixLen: unitPrefixLen({ family: familyOf(p.family), kind: kindOf(p) }),
    createdAt: p.createdAt,
  };
}

/** One refusal that names every field to fix, shaped like fromZod's. */
export function poolRefusal(problems: readonly PoolProblem[]): AppError {
  return new AppError("VALIDATION", `Pool: ${problems.map((p) => `${p.field}: ${p.message}`).join("; ")}`, {
    details: problems.map((p) => ({ path: p.field, message: p.message })),
  });
}

export const poolNotFound = () => new AppError("NOT_FOUND", "That address pool does not exist", { key: "error.pool.notFound" });

// Pool definitions change one at a time across all portals, so two overlapping pools can never both
// pass the overlap check. Allocation does not take this lock: it locks the pool rows it uses.
const POOL_DEFINITIONS_LOCK = 7_401_914; // arbitrary, constant: "skjold ip pool definitions"

export async function lockPoolDefinitions(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${POOL_DEFINITIONS_LOCK})`;
}

/** Locks one pool's row (allocations from it wait); false when there is no such pool. */
export async function lockPool(tx: Prisma.TransactionClient, id: string): Promise<boolean> {
  if (!z.uuid().safeParse(id).success) return false;
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "IpPool" WHERE id = ${id}::uuid FOR UPDATE`;
  return rows.length > 0;
}
