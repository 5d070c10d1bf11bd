import type { JobDefinition } from "./define";

// biome-ignore lint/suspicious/noExplicitAny: one registry holds jobs of every payload type; each is parsed by its own schema before it runs
type AnyJobDefinition = JobDefinition<any, any>;

// Definitions by name and version. A worker runs a job only with the exact version it was enqueued
// with, so a deploy that changes a job's steps keeps the old version registered until its jobs drain.

export interface JobRegistry {
  register(...definitions: AnyJobDefinition[]): JobRegistry;
  find(name: string, version?: number): JobDefinition<unknown> | undefined;
  /** Names of all registered jobs: a worker claims only these. */
  kinds(): string[];
}

export function createJobRegistry(...initial: AnyJobDefinition[]): JobRegistry {
  const byName = new Map<string, Map<number, JobDefinition<unknown>>>();
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
  };
  return registry.register(...initial);
}
