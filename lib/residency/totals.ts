import type { Jurisdiction } from "../generated/prisma/enums";
import type { LocationInterval } from "./intervals";
import { isOutsideEea } from "./policy";

// Totals accumulate while the history streams past, so they cost memory per jurisdiction and
// country, never per row.

export interface JurisdictionTotal {
  jurisdiction: Jurisdiction;
  country: string;
  /** Locations holding data at the as-of date. */
  openAtAsOf: number;
  /** Stays (open or since closed) in the reported period. */
  staysInPeriod: number;
  outsideEea: boolean;
}

export interface ReportTotals {
  openAtAsOf: number;
  staysInPeriod: number;
  byJurisdiction: JurisdictionTotal[];
}

export function createTotalsAccumulator() {
  const groups = new Map<string, JurisdictionTotal>();
  return {
    add(i: Pick<LocationInterval, "jurisdiction" | "country" | "until">): void {
      const key = `${i.jurisdiction}/${i.country}`;
      let g = groups.get(key);
      if (!g) {
        g = { jurisdiction: i.jurisdiction, country: i.country, openAtAsOf: 0, staysInPeriod: 0, outsideEea: isOutsideEea(i.jurisdiction) };
        groups.set(key, g);
      }
      g.staysInPeriod++;
      if (i.until === null) g.openAtAsOf++;
    },
    result(): ReportTotals {
      const byJurisdiction = [...groups.values()].sort(
        (a, b) => a.jurisdiction.localeCompare(b.jurisdiction) || a.country.localeCompare(b.country),
      );
      return {
        openAtAsOf: byJurisdiction.reduce((n, g) => n + g.openAtAsOf, 0),
        staysInPeriod: byJurisdiction.reduce((n, g) => n + g.staysInPeriod, 0),
        byJurisdiction,
      };
    },
  };
}
