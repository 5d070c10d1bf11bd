import type { ReportContext } from "./context";
import { integrityRecord } from "./integrity-facts";
import type { LocationInterval } from "./intervals";
import { isOutsideEea } from "./policy";

// Wording and shapes shared by the JSON, CSV and PDF renderings, so all three state the same facts.

const REPORT_FORMAT = "skjold-residency-report-v1";

export const NO_TRANSFERS = "None. No personal data covered by this report was stored or processed outside the EEA in the reported period.";

const DEFAULT_SECURITY_MEASURES = [
  "Guests hardened on provisioning: key-only SSH, no root login, default-deny inbound firewall, kernel hardening, automatic security updates; verified by a per-control evidence report.",
  "k3s clusters: Pod Security Admission 'restricted', secrets encryption at rest, API audit log, default-deny NetworkPolicies.",
  "Portal: SSH keys, kubeconfigs and TOTP secrets encrypted at rest (AES-256-GCM); role-based access per team; append-only audit log.",
  "SSH host keys pinned for every host and guest; data location recorded in a hash-chained, append-only ledger.",
];

export function securityMeasures(ctx: ReportContext): string[] {
  return ctx.processor?.securityMeasures?.length ? ctx.processor.securityMeasures : DEFAULT_SECURITY_MEASURES;
}

export function describeLocation(i: Pick<LocationInterval, "hostName" | "poolName" | "path">): string {
  const place = [i.hostName, i.poolName].filter(Boolean).join("/");
  return [place, i.path].filter(Boolean).join(":") || "-";
}

/** One interval as plain JSON: what every rendering prints per row. */
export function intervalRecord(i: LocationInterval) {
  return {
    seq: i.seq.toString(),
    team: i.teamSlug,
    resourceKind: i.resourceKind,
    resourceId: i.resourceId,
    resourceName: i.resourceName,
    host: i.hostName,
    pool: i.poolName,
    path: i.path,
    region: i.regionCode,
    country: i.country,
    jurisdiction: i.jurisdiction,
    outsideEea: isOutsideEea(i.jurisdiction),
    from: i.from.toISOString(),
    until: i.until ? i.until.toISOString() : null,
  };
}
export type IntervalRecord = ReturnType<typeof intervalRecord>;

export function reportHeader(ctx: ReportContext) {
  return {
    format: REPORT_FORMAT,
    integrity: integrityRecord(ctx.integrity, ctx.ledgerHead.seq),
    title: ctx.team ? `Data residency report for ${ctx.team.name}` : "Platform data residency report",
    scope: ctx.scope,
    asOf: ctx.asOf.toISOString(),
    periodStart: ctx.since ? ctx.since.toISOString() : null,
    generatedAt: ctx.generatedAt.toISOString(),
    generatedBy: ctx.generatedBy,
    ledgerHead: ctx.ledgerHead,
    processor: ctx.processor,
    team: ctx.team,
    securityMeasures: securityMeasures(ctx),
  };
}
