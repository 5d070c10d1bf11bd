import { z } from "zod";
import { AppError, fromZod } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import type { LatencyTarget } from "../generated/prisma/client";
import {
  hasPortForTcp,
  LatencyTargetInputSchema,
  LatencyTargetUpdateSchema,
  methodFlags,
  type LatencyTargetInput,
  type LatencyTargetUpdate,
  type ProbeMethodChoice,
} from "./schemas";

// Probe targets are configured by an admin: Skjold ships no addresses of its own.

export function targetMethod(t: Pick<LatencyTarget, "icmp" | "tcp">): ProbeMethodChoice {
  return t.icmp && t.tcp ? "both" : t.tcp ? "tcp" : "icmp";
}

const notFound = () => new AppError("NOT_FOUND", "That probe target does not exist", { key: "error.latency.noTarget" });

function assertTargetId(id: string): void {
  if (!z.uuid().safeParse(id).success) throw notFound();
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2002";
}

function conflict(exchange: string, name: string, cause: unknown): AppError {
  return new AppError("CONFLICT", `A probe target named "${name}" already exists for ${exchange}`, {
    cause,
    key: "error.latency.targetExists",
    params: { name, exchange },
  });
}

export async function createLatencyTarget(opts: { prisma: PrismaClient; input: LatencyTargetInput }): Promise<LatencyTarget> {
  const parsed = LatencyTargetInputSchema.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Invalid probe target");
  const { method, ...rest } = parsed.data;
  try {
    return await opts.prisma.latencyTarget.create({ data: { ...rest, ...methodFlags(method) } });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(rest.exchange, rest.name, err);
    throw err;
  }
}

export async function updateLatencyTarget(opts: { prisma: PrismaClient; id: string; input: LatencyTargetUpdate }): Promise<LatencyTarget> {
  const parsed = LatencyTargetUpdateSchema.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Invalid probe target");
  assertTargetId(opts.id);
  const current = await opts.prisma.latencyTarget.findUnique({ where: { id: opts.id } });
  if (!current) throw notFound();
  const { method: newMethod, ...rest } = parsed.data;
  const method = newMethod ?? targetMethod(current);
  const port = rest.port !== undefined ? rest.port : current.port;
  if (!hasPortForTcp({ method, port }))
    throw new AppError("VALIDATION", "Invalid probe target: port: a TCP probe needs a port", { key: "error.latency.portNeeded" });
  try {
    return await opts.prisma.latencyTarget.update({ where: { id: opts.id }, data: { ...rest, ...methodFlags(method) } });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(rest.exchange ?? current.exchange, rest.name ?? current.name, err);
    throw err;
  }
}

/** Deletes a target with its raw samples (cascade) and its hourly roll-ups (no foreign key). */
export async function deleteLatencyTarget(opts: { prisma: PrismaClient; id: string }): Promise<void> {
  assertTargetId(opts.id);
  await opts.prisma.$transaction(async (tx) => {
    const { count } = await tx.latencyTarget.deleteMany({ where: { id: opts.id } });
    if (count === 0) throw notFound();
    await tx.latencyRollup.deleteMany({ where: { targetId: opts.id } });
  });
}
