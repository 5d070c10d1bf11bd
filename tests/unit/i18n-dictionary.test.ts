import { describe, expect, it } from "vitest";
import { AREAS, en, nb, type MessageKey } from "@/app/_i18n/dictionaries";
import { jobRegistry } from "@/lib/runtime/registry";

// What the types cannot say about the dictionary: that no key is defined in two areas (the later
// spread would silently win), and that a translation keeps every {placeholder} the page fills in.

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the dictionary", () => {
  it.each(["en", "nb"] as const)("defines each %s key in one area only", (locale) => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [area, messages] of Object.entries(AREAS[locale])) {
      for (const key of Object.keys(messages)) {
        if (seen.has(key)) twice.push(`${key} in ${seen.get(key)} and ${area}`);
        seen.set(key, area);
      }
    }
    expect(twice).toEqual([]);
    expect(seen.size).toBe(Object.keys(en).length);
  });

  it("has the same keys in both languages, none empty", () => {
    expect(Object.keys(nb).sort()).toEqual(Object.keys(en).sort());
    const empty = (Object.keys(en) as MessageKey[]).filter((k) => !en[k].trim() || !nb[k].trim());
    expect(empty).toEqual([]);
  });

  it("keeps every placeholder in the Norwegian text", () => {
    const differ = (Object.keys(en) as MessageKey[])
      .filter((k) => placeholders(en[k]).join() !== placeholders(nb[k]).join())
      .map((k) => `${k}: ${placeholders(en[k])} ≠ ${placeholders(nb[k])}`);
    expect(differ).toEqual([]);
  });

  it("names every step of a VM's jobs, every registered version (the VM page shows them)", () => {
    const jobs = jobRegistry
      .kinds()
      .filter((kind) => kind.startsWith("vm."))
      .flatMap((kind) => Array.from({ length: jobRegistry.find(kind)!.version }, (_, v) => jobRegistry.find(kind, v + 1)));
    const steps = jobs.flatMap((j) => j?.steps.map((s) => s.key) ?? []);
    expect(steps.length).toBeGreaterThan(10);
    expect(steps.filter((k) => !(`jobStep.${k}` in en))).toEqual([]);
  });
});
