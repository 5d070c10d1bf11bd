import { z } from "zod";
import { AppError, fromZod } from "../core/errors";
import { ReportFormatSchema, type ReportFormat } from "./export";

// What a person or a script may ask a report for, as text (a query string or a date picker), turned
// into instants. A bare date means the whole day in UTC: "as of 2026-01-10" is the state at the end
// of that day (or now, for today), "since 2026-01-10" starts at its first millisecond.

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const HINT = "use a date (YYYY-MM-DD) or an ISO 8601 time with zone (2026-01-10T12:00:00Z)";

type Edge = "start" | "end";

/** A calendar date's first or last millisecond in UTC, or an exact ISO time; null if not a real date. */
function toInstant(text: string, edge: Edge): Date | null {
  const m = DATE_ONLY.exec(text) ?? ISO_TIME.exec(text);
  if (!m) return null;
  const [, y, mo, d] = m;
  const day = new Date(`${y}-${mo}-${d}T00:00:00.000Z`);
  // JavaScript rolls 2026-02-31 over into March: a date that does not round-trip does not exist.
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== `${y}-${mo}-${d}`) return null;
  if (DATE_ONLY.test(text)) return edge === "start" ? day : new Date(day.getTime() + 86_399_999);
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? null : at;
}

const dateParam = (edge: Edge) =>
  z
    .string()
    .max(40, "is too long")
    .transform((raw, ctx) => {
      const at = toInstant(raw.trim(), edge);
      if (!at) {
        ctx.addIssue({ code: "custom", message: `"${raw.slice(0, 40)}" is not a valid date: ${HINT}` });
        return z.NEVER;
      }
      return at;
    });

const ReportQuerySchema = z.strictObject({
  format: ReportFormatSchema.describe("csv, json or pdf"),
  asOf: dateParam("end").optional(),
  since: dateParam("start").optional(),
});

export interface ReportQuery {
  format: ReportFormat;
  asOf?: Date;
  since?: Date;
}

/** The end of today is not over yet: a date-only asOf of today means now; anything later is refused. */
function notInFuture(at: Date | undefined, now: Date, field: string): Date | undefined {
  if (!at || at <= now) return at;
  if (at.getTime() - now.getTime() < 86_400_000 && at.toISOString().slice(0, 10) === now.toISOString().slice(0, 10)) return now;
  throw new AppError("VALIDATION", `${field}: ${at.toISOString()} is in the future; a report describes now or a past date`, {
    details: [{ path: field, message: "is in the future" }],
  });
}

/** Validates a report request's query string (unknown parameters are refused, so typos do not pass silently). */
export function parseReportQuery({
  params,
  now = new Date(),
}: {
  params: URLSearchParams | Record<string, string>;
  now?: Date;
}): ReportQuery {
  const raw = params instanceof URLSearchParams ? Object.fromEntries(params) : params;
  const parsed = ReportQuerySchema.safeParse(raw);
  if (!parsed.success) throw fromZod(parsed.error, "Invalid report query");
  const asOf = notInFuture(parsed.data.asOf, now, "asOf");
  const since = notInFuture(parsed.data.since, now, "since");
  if (since && asOf && since > asOf)
    throw new AppError("VALIDATION", "Invalid report query: since must not be after asOf", { key: "error.residency.sinceAfterAsOf" });
  return { format: parsed.data.format, asOf, since };
}

/** For a page's "as of" picker: an empty value means now; a bad one is reported, not thrown. */
export function parseAsOfParam({
  value,
  now = new Date(),
}: {
  value: string | undefined;
  now?: Date;
}): { asOf: Date; isNow: boolean } | { error: string } {
  if (!value) return { asOf: now, isNow: true };
  try {
    const { asOf } = parseReportQuery({ params: { format: "json", asOf: value }, now });
    return { asOf: asOf ?? now, isNow: false };
  } catch (err) {
    return { error: err instanceof AppError ? err.message : "Invalid date" };
  }
}
