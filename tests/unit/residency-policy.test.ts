import { describe, expect, it } from "vitest";
import { SEED_REGIONS } from "@/lib/db/seed";
import type { Jurisdiction, ResidencyPolicy } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/core/errors";
import { assertRegionAllowed, describePolicies, isOutsideEea, regionsAllowedBy } from "@/lib/residency/policy";

const REGIONS = [
  ...SEED_REGIONS,
  { code: "rkv1", name: "Reykjavik", city: "Reykjavik", country: "IS", jurisdiction: "EEA_OTHER" },
  { code: "lon1", name: "London", city: "London", country: "GB", jurisdiction: "THIRD_COUNTRY" },
  { code: "use1", name: "Virginia", city: "Ashburn", country: "US", jurisdiction: "THIRD_COUNTRY" },
] as { code: string; name: string; country: string; jurisdiction: Jurisdiction }[];

// What each policy must admit, stated per region rather than derived from the code under test.
const EXPECTED: Record<ResidencyPolicy, string[]> = {
  NORWAY_ONLY: ["osl1", "bgo1"],
  EEA: ["osl1", "bgo1", "sto1", "hel1", "fra1", "ams1", "rkv1"],
  EU: ["sto1", "hel1", "fra1", "ams1"],
};

describe("residency policy", () => {
  for (const policy of Object.keys(EXPECTED) as ResidencyPolicy[]) {
    for (const region of REGIONS) {
      const allowed = EXPECTED[policy].includes(region.code);
      it(`${policy} ${allowed ? "allows" : "refuses"} ${region.code} (${region.jurisdiction})`, () => {
        expect(regionsAllowedBy(policy, [region])).toHaveLength(allowed ? 1 : 0);
        if (allowed) expect(() => assertRegionAllowed({ policy, region })).not.toThrow();
        else {
          const err = (() => {
            try {
              assertRegionAllowed({ policy, region });
            } catch (e) {
              return e;
            }
          })();
          expect(err).toBeInstanceOf(AppError);
          expect(err).toMatchObject({ code: "POLICY_VIOLATION", status: 409 });
          expect((err as Error).message).toContain(region.code);
        }
      });
    }
  }

  it("describes each policy with the regions it allows", () => {
    const described = describePolicies(REGIONS);
    expect(described.map((p) => [p.policy, p.regions.map((r) => r.code)])).toEqual(Object.entries(EXPECTED));
    expect(described.find((p) => p.policy === "EU")!.label).toMatch(/excludes Norway/);
  });

  it("treats only third countries as outside the EEA", () => {
    expect(REGIONS.filter((r) => isOutsideEea(r.jurisdiction)).map((r) => r.code)).toEqual(["lon1", "use1"]);
  });
});
