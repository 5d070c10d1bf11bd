import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/core/errors";
import { defineJob } from "@/lib/jobs/define";
import { describeError, isTransientError } from "@/lib/jobs/errors";
import { createJobRegistry } from "@/lib/jobs/job-registry";

const step = (key: string) => ({ key, run: () => null });

describe("defineJob", () => {
  it("fills in version 1 and the default retry policy", () => {
    const job = defineJob({ name: "vm.provision", payload: z.object({ vmId: z.string() }), steps: [step("place")] });
    expect(job).toMatchObject({ name: "vm.provision", version: 1, retry: { maxAttempts: 5 } });
  });

  it("refuses duplicate step keys, odd names, no steps and inconsistent retry policies", () => {
    const payload = z.object({});
    expect(() => defineJob({ name: "a", payload, steps: [step("x"), step("x")] })).toThrow(/used twice/);
    expect(() => defineJob({ name: "Vm Provision", payload, steps: [step("x")] })).toThrow(/job name/);
    expect(() => defineJob({ name: "a", payload, steps: [] })).toThrow(/no steps/);
    expect(() => defineJob({ name: "a", payload, steps: [step("x")], retry: { maxAttempts: 0 } })).toThrow(/retry/);
    expect(() => defineJob({ name: "a", payload, steps: [step("x")], retry: { baseDelayMs: 10, maxDelayMs: 5 } })).toThrow(/retry/);
  });
});

describe("createJobRegistry", () => {
  const v1 = defineJob({ name: "vm.delete", payload: z.object({}), steps: [step("undefine")] });
  const v2 = defineJob({ name: "vm.delete", version: 2, payload: z.object({}), steps: [step("undefine"), step("wipe")] });

  it("finds a job by exact version, or the newest when no version is given", () => {
    const registry = createJobRegistry(v1, v2);
    expect(registry.find("vm.delete", 1)).toBe(v1);
    expect(registry.find("vm.delete")).toBe(v2);
    expect(registry.find("vm.delete", 3)).toBeUndefined();
    expect(registry.kinds()).toEqual(["vm.delete"]);
  });

  it("accepts the same definition twice but not two definitions of one version", () => {
    const registry = createJobRegistry(v1).register(v1);
    const clash = defineJob({ name: "vm.delete", payload: z.object({}), steps: [step("other")] });
    expect(() => registry.register(clash)).toThrow(/registered twice/);
  });
});

describe("error classification", () => {
  it("treats transient AppErrors (and errors flagged transient) as retryable, everything else as permanent", () => {
    expect(isTransientError(new AppError("HOST_UNREACHABLE", "down", { transient: true }))).toBe(true);
    expect(isTransientError(Object.assign(new Error("ECONNRESET"), { transient: true }))).toBe(true);
    expect(isTransientError(new AppError("HOST_UNREACHABLE", "down"))).toBe(false);
    expect(isTransientError(new Error("boom"))).toBe(false);
  });

  it("keeps user-facing messages and hides unexpected ones behind a correlation id", () => {
    const logged: string[] = [];
    expect(describeError(new AppError("NO_CAPACITY", "No host in osl1 has room"), (l) => logged.push(l))).toBe("No host in osl1 has room");
    const hidden = describeError(new Error("password=hunter2 rejected"), (l) => logged.push(l));
    expect(hidden).toMatch(/^Unexpected error; quote this id to your operator: [0-9a-f-]{36}$/);
    expect(hidden).not.toContain("hunter2");
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(hidden.slice(-36));
  });
});
