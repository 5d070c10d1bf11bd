import { z } from "zod";

// The evidence report shared by guest and k3s verification. Plain JSON: it is stored as is in
// HardeningReport.controls.

const controlStatusSchema = z.enum(["pass", "fail", "not_applicable"]);
type ControlStatus = z.infer<typeof controlStatusSchema>;

export const controlResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: controlStatusSchema,
  /** What was read on the machine that decided the status. */
  evidence: z.string(),
  /** CIS Debian 12 id, k3s hardening guide section, or seed section (§1–§5). */
  references: z.array(z.string()).min(1),
});
export type ControlResult = z.infer<typeof controlResultSchema>;

export const hardeningReportSchema = z.object({
  scope: z.enum(["guest", "k3s"]),
  controls: z.array(controlResultSchema),
  passed: z.number().int(),
  failed: z.number().int(),
  notApplicable: z.number().int(),
});
export type HardeningReportData = z.infer<typeof hardeningReportSchema>;

export function summariseControls(scope: "guest" | "k3s", controls: ControlResult[]): HardeningReportData {
  const count = (s: ControlStatus) => controls.filter((c) => c.status === s).length;
  return { scope, controls, passed: count("pass"), failed: count("fail"), notApplicable: count("not_applicable") };
}

export type ControlDrift = { id: string; title: string; was: ControlStatus; now: ControlStatus; evidence: string };

/** Controls that passed in the previous report and fail now (the lead stores their ids in driftFrom). */
export function diffReports(opts: { previous: HardeningReportData | null; current: HardeningReportData }): ControlDrift[] {
  if (!opts.previous) return [];
  const before = new Map(opts.previous.controls.map((c) => [c.id, c.status]));
  return opts.current.controls
    .filter((c) => before.get(c.id) === "pass" && c.status === "fail")
    .map((c) => ({ id: c.id, title: c.title, was: "pass" as const, now: c.status, evidence: c.evidence }));
}

/**
 * Builds one control from a predicate (`ok`: true pass, false fail, null not applicable); evidence
 * is always the string read from the machine.
 */
export function control(opts: { id: string; title: string; references: string[]; evidence: string; ok: boolean | null }): ControlResult {
  const { id, title, references, evidence, ok } = opts;
  const status: ControlStatus = ok === null ? "not_applicable" : ok ? "pass" : "fail";
  return { id, title, references, evidence: evidence || "(nothing found)", status };
}
