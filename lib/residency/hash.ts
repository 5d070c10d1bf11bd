import { createHash } from "node:crypto";
import type { Jurisdiction, LedgerAction, ResourceKind } from "../generated/prisma/enums";

// The ledger's hash chain, documented in docs/residency.md so an auditor can recompute it:
//   canonical = the lines below joined by "\n" (no trailing newline), null written as "",
//   timestamps as ISO 8601 UTC with milliseconds (2026-01-31T12:00:00.000Z)
//   hash      = lowercase hex SHA-256 of the UTF-8 bytes of canonical
// The first line names the format, the last is the previous row's hash (64 zeros for the first row).
// Values never contain a newline or control character (recordDataLocation validates them), and no
// text field may be empty, so "" unambiguously means null.

export const GENESIS_HASH = "0".repeat(64);
const HASH_FORMAT = "skjold-ledger-v1";

export interface HashedFields {
  seq: bigint;
  teamId: string | null;
  teamSlug: string | null;
  resourceKind: ResourceKind;
  resourceId: string;
  resourceName: string;
  action: LedgerAction;
  hostName: string | null;
  poolName: string | null;
  path: string | null;
  regionCode: string;
  country: string;
  jurisdiction: Jurisdiction;
  effectiveAt: Date;
  recordedAt: Date;
  actor: string | null;
  prevHash: string;
}

function canonicalEntry(e: HashedFields): string {
  return [
    HASH_FORMAT,
    e.seq.toString(),
    e.teamId ?? "",
    e.teamSlug ?? "",
    e.resourceKind,
    e.resourceId,
    e.resourceName,
    e.action,
    e.hostName ?? "",
    e.poolName ?? "",
    e.path ?? "",
    e.regionCode,
    e.country,
    e.jurisdiction,
    e.effectiveAt.toISOString(),
    e.recordedAt.toISOString(),
    e.actor ?? "",
    e.prevHash,
  ].join("\n");
}

export function hashEntry(e: HashedFields): string {
  return createHash("sha256").update(canonicalEntry(e), "utf8").digest("hex");
}
