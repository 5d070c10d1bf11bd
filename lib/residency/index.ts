// The residency domain's public surface: policy, ledger, reports, verification.
export { assertRegionAllowed, describePolicies, isJurisdictionAllowed, isOutsideEea, regionsAllowedBy, POLICY_LABELS } from "./policy";
export { changeResidencyPolicy, type PolicyViolation } from "./change-policy";
export { recordDataLocation, DataLocationInputSchema, type DataLocationInput } from "./record";
export { recordPortalHeldData } from "./portal-held";
export { closeDataLocations } from "./close";
export { verifyLedger, type LedgerVerification } from "./verify";
export { canonicalEntry, hashEntry, GENESIS_HASH } from "./hash";
export { prepareResidencyReport, type ReportContext } from "./context";
export { exportResidencyReport, ReportFormatSchema, type ReportFormat, type ResidencyExport } from "./export";
export { getOperatorDetails, getPortalLocation, OperatorDetailsSchema, PortalLocationSchema } from "./settings";
