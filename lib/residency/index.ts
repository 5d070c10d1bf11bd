// The residency domain's public surface: policy, ledger, reports, verification.
export { assertRegionAllowed, describePolicies, isJurisdictionAllowed, isOutsideEea, regionsAllowedBy, POLICY_LABELS } from "./policy";
export { changeResidencyPolicy, type PolicyViolation } from "./change-policy";
export { recordDataLocation, DataLocationInputSchema, type DataLocationInput } from "./record";
export { recordPortalHeldData } from "./portal-held";
export { closeDataLocations } from "./close";
export { verifyLedger, type LedgerProblem, type LedgerVerification } from "./verify";
export { readLedgerIntegrity, type LedgerIntegrity } from "./integrity";
export { runLedgerVerification, verifyReportLedger, ledgerVerificationTask, type ReportIntegrity } from "./run-verification";
export { verifyPlatformLedger, verifyTeamLedger } from "./verify-on-demand";
export { acknowledgeLedgerBreak } from "./acknowledge-break";
export { readLedgerAlarm, type LedgerAlarm } from "./alarm";
export { changeTeamResidencyPolicy, getTeamResidencyPolicy } from "./team-policy";
export { getPlatformResidencyOverview, getTeamResidencyOverview } from "./overview";
export { canonicalEntry, hashEntry, GENESIS_HASH } from "./hash";
export { prepareResidencyReport, type ReportContext } from "./context";
export { exportResidencyReport, ReportFormatSchema, type ReportFormat, type ResidencyExport } from "./export";
export { getOperatorDetails, getPortalLocation, OperatorDetailsSchema, PortalLocationSchema } from "./settings";
