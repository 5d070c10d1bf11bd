// The residency domain's public surface: policy, ledger, reports, verification.
export { describePolicies, POLICY_LABELS } from "./policy";
export { changeResidencyPolicy, type PolicyViolation } from "./change-policy";
export { changeTeamResidencyPolicy, getTeamResidencyPolicy } from "./team-policy";
export { recordDataLocation } from "./record";
export { recordPortalHeldData } from "./portal-held";
export { closeDataLocations } from "./close";
export { verifyLedger, type LedgerVerification } from "./verify";
export type { LedgerIntegrity } from "./integrity";
export { verifyPlatformLedger, verifyTeamLedger } from "./verify-on-demand";
export { acknowledgeLedgerBreak } from "./acknowledge-break";
export { readLedgerAlarm } from "./alarm";
export { getPlatformResidencyOverview, getTeamResidencyOverview } from "./overview";
export { exportResidencyReport, type ReportFormat } from "./export";
export { getOperatorDetails } from "./settings";
