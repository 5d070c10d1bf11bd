import { AppError } from "../core/errors";
import type { Jurisdiction, ResidencyPolicy } from "../generated/prisma/enums";

// Which jurisdictions each residency policy admits. Norway is in the EEA but not in the EU, so an
// EU-only policy excludes Norwegian regions; no policy ever admits a third country.
const POLICY_JURISDICTIONS: Readonly<Record<ResidencyPolicy, readonly Jurisdiction[]>> = {
  NORWAY_ONLY: ["NO_EEA"],
  EEA: ["NO_EEA", "EU", "EEA_OTHER"],
  EU: ["EU"],
};

export const POLICY_LABELS: Readonly<Record<ResidencyPolicy, string>> = {
  NORWAY_ONLY: "Norway only",
  EEA: "EEA only (EU, Norway, Iceland, Liechtenstein)",
  EU: "EU only (excludes Norway)",
};

/** Jurisdictions inside the EEA: storing data there is not a transfer to a third country. */
const EEA_JURISDICTIONS: readonly Jurisdiction[] = ["NO_EEA", "EU", "EEA_OTHER"];

export interface RegionLike {
  code: string;
  name?: string;
  country: string;
  jurisdiction: Jurisdiction;
}

export function isJurisdictionAllowed(policy: ResidencyPolicy, jurisdiction: Jurisdiction): boolean {
  return POLICY_JURISDICTIONS[policy].includes(jurisdiction);
}

export function isOutsideEea(jurisdiction: Jurisdiction): boolean {
  return !EEA_JURISDICTIONS.includes(jurisdiction);
}

export function regionsAllowedBy<R extends RegionLike>(policy: ResidencyPolicy, regions: readonly R[]): R[] {
  return regions.filter((r) => isJurisdictionAllowed(policy, r.jurisdiction));
}

/** Each policy with the regions it allows, for the policy picker. */
export function describePolicies<R extends RegionLike>(regions: readonly R[]) {
  return (Object.keys(POLICY_JURISDICTIONS) as ResidencyPolicy[]).map((policy) => ({
    policy,
    label: POLICY_LABELS[policy],
    jurisdictions: POLICY_JURISDICTIONS[policy],
    regions: regionsAllowedBy(policy, regions),
  }));
}

/** Refuses a placement or an order in a region the team's policy does not allow. */
export function assertRegionAllowed({ policy, region }: { policy: ResidencyPolicy; region: RegionLike }): void {
  if (isJurisdictionAllowed(policy, region.jurisdiction)) return;
  const where = `${region.name ?? region.code} (${region.code}, ${region.country}, ${region.jurisdiction})`;
  throw new AppError(
    "POLICY_VIOLATION",
    `Region ${where} is outside this team's residency policy "${POLICY_LABELS[policy]}". ` +
      `Choose a region in: ${POLICY_JURISDICTIONS[policy].join(", ")}.`,
    {
      details: { policy, region: region.code, jurisdiction: region.jurisdiction },
      key: "error.residency.regionOutsidePolicy",
      params: { where, policy, jurisdictions: POLICY_JURISDICTIONS[policy].join(", ") },
    },
  );
}
