import { AppError } from "../core/errors";
import type { Jurisdiction, ResidencyPolicy } from "../generated/prisma/enums";
import { POLICY_LABELS, isJurisdictionAllowed } from "../residency/policy";

// A backup is a copy of the tenant's data: its target must lie inside the team's residency policy
// exactly as a VM's region must. Checked when a backup is asked for (nothing is recorded or copied
// when refused) and again by the job before the first byte moves (the policy may have changed).

export interface TargetLike {
  name: string;
  region: { code: string; country: string; jurisdiction: Jurisdiction };
}

export function assertTargetAllowed({ policy, target }: { policy: ResidencyPolicy; target: TargetLike }): void {
  if (isJurisdictionAllowed(policy, target.region.jurisdiction)) return;
  const where = `${target.region.code}, ${target.region.country}, ${target.region.jurisdiction}`;
  throw new AppError(
    "POLICY_VIOLATION",
    `Backup target ${target.name} (${where}) is outside this team's residency policy "${POLICY_LABELS[policy]}": nothing was copied.`,
    {
      key: "error.backup.targetOutsidePolicy",
      params: { target: target.name, where, policy },
      details: { policy, target: target.name, region: target.region.code, jurisdiction: target.region.jurisdiction },
    },
  );
}
