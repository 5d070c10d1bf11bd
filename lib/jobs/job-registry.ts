import type { PrismaClient } from "../generated/prisma/client";
import type { Outage } from "./decide-after-failure";
import type { JobDefinition } from "./define";

// biome-ignore lint/suspicious/noExplicitAny: one registry holds jobs of every payload type; each is parsed by its own schema before it runs
type AnyJobDefinition = JobDefinition<any, any>;

// Definitions by name and version. A worker runs a job only with the exact version it was enqueued
// with, so a deploy that changes a job's steps keeps the old version registered until its jobs drain.

/**
 * Told of every failed step and compensation before the engine retries or rolls back, to record what
 * the failure says about the world beyond the job (a host that cannot be reached). Its own failure is
 * logged and never changes the job's course.
 */
export type StepFailureObserver = (failure: {
  prisma: PrismaClient;
  job: { id: string; kind: string };
  step: string;
  error: unknown;
}) => Promise<unknown>;

/** The job as an outage policy sees it: what it is about (its VM, cluster, team or host). */
export interface OutageJobRef {
  id: string;
  kind: string;
  vmId: string | null;
  clusterId: string | null;
  teamId: string | null;
  hostId: string | null;
}

/**
 * How jobs wait out outages instead of spending their attempts: `judge` says whether a transient
 * failure means something is down for now (it runs after the step-failure observers, so what they
 * recorded can be read); the engine then re-queues the job with a growing delay, without counting an
 * attempt, until the outage's limit, and fails the job as usual after that. `waiting` is told once per
 * outage, when a job begins to wait; `resumed` once, when the job gets past the step that waited.
 * Their own failures are logged and never change the job's course.
 */
export interface OutagePolicy {
  judge(failure: { prisma: PrismaClient; job: OutageJobRef; step: string; error: unknown }): Promise<Outage | null>;
  waiting?(event: { prisma: PrismaClient; job: OutageJobRef; step: string; outage: Outage }): Promise<unknown>;
  resumed?(event: { prisma: PrismaClient; job: OutageJobRef; step: string; waitedFor: string; since: Date }): Promise<unknown>;
}

export interface JobRegistry {
  register(...definitions: AnyJobDefinition[]): JobRegistry;
  onStepFailure(observer: StepFailureObserver): JobRegistry;
  stepFailureObservers(): readonly StepFailureObserver[];
  /** Sets how this registry's jobs wait out outages (one policy; without one, every transient failure spends an attempt). */
  waitOutOutages(policy: OutagePolicy): JobRegistry;
  outagePolicy(): OutagePolicy | undefined;
  find(name: string, version?: number): JobDefinition<unknown> | undefined;
  /** Names of all registered jobs: a worker claims only these. */
  kinds(): string[];
}

export function createJobRegistry(...initial: AnyJobDefinition[]): JobRegistry {
  const byName = new Map<string, Map<number, JobDefinition<unknown>>>();
  const observers: StepFailureObserver[] = [];
  let outages: OutagePolicy | undefined;
  const registry: JobRegistry = {
    register(...definitions) {
      for (const def of definitions) {
        const versions = byName.get(def.name) ?? new Map<number, JobDefinition<unknown>>();
        const existing = versions.get(def.version);
        if (existing && existing !== def) throw new Error(`job ${def.name} v${def.version} is registered twice`);
        versions.set(def.version, def as JobDefinition<unknown>);
        byName.set(def.name, versions);
      }
      return registry;
    },
    find(name, version) {
      const versions = byName.get(name);
      if (!versions) return undefined;
      if (version !== undefined) return versions.get(version);
      return versions.get(Math.max(...versions.keys()));
    },
    kinds: () => [...byName.keys()].sort(),
    onStepFailure(observer) {
      observers.push(observer);
      return registry;
    },
    stepFailureObservers: () => [...observers],
    waitOutOutages(policy) {
      if (outages && outages !== policy) throw new Error("this registry already has an outage policy");
      outages = policy;
      return registry;
    },
    outagePolicy: () => outages,
  };
  return registry.register(...initial);
}
