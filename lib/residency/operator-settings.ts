import { z } from "zod";
import type { RequestMeta } from "../access/principal";
import { fromZod } from "../core/errors";
import { safeText } from "../core/validation";
import type { PrismaClient } from "../generated/prisma/client";
import { recordAudit, type AuditInput } from "../audit/record-audit";
import { getOperatorDetails, OPERATOR_SETTING, OperatorDetailsSchema, type OperatorDetails } from "./settings";

// The operator (processor) details every report prints, edited by a platform admin as flat form
// fields. Empty fields are dropped; fields the form does not edit (the EU representative) are kept.

const optional = (max: number) =>
  z
    .string()
    .optional()
    .transform((s) => (s?.trim() ? s : undefined))
    .pipe(safeText(max).optional());

const optionalEmail = z
  .string()
  .optional()
  .transform((s) => (s?.trim() ? s.trim().toLowerCase() : undefined))
  .pipe(z.email("must be a valid email address").max(254).optional());

export const OperatorFormSchema = z
  .object({
    company: safeText(200),
    orgNumber: optional(40).pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9 .-]+$/, "use letters, digits, spaces, dots and dashes (e.g. 923 456 789)")
        .optional(),
    ),
    address: optional(400),
    email: optionalEmail,
    phone: optional(40),
    dpoName: optional(200),
    dpoEmail: optionalEmail,
    dpoPhone: optional(40),
    /** Article 32 measures, one per line; empty keeps Skjold's defaults. */
    securityMeasures: z
      .string()
      .max(8000)
      .optional()
      .transform((s) =>
        (s ?? "")
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean),
      )
      .pipe(z.array(safeText(500)).max(40)),
  })
  .refine((f) => f.dpoName || (!f.dpoEmail && !f.dpoPhone), {
    path: ["dpoName"],
    message: "name the DPO when giving their contact details",
  });

/** Pure: the stored details after applying a validated form to what was stored before. */
function mergeOperatorForm(before: OperatorDetails | null, form: z.output<typeof OperatorFormSchema>): OperatorDetails {
  const { dpoName, dpoEmail, dpoPhone, securityMeasures, ...plain } = form;
  const next: OperatorDetails = {
    ...(before?.representative ? { representative: before.representative } : {}),
    ...Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined)),
    company: plain.company,
    ...(dpoName ? { dpo: { name: dpoName, ...(dpoEmail ? { email: dpoEmail } : {}), ...(dpoPhone ? { phone: dpoPhone } : {}) } } : {}),
    ...(securityMeasures.length ? { securityMeasures } : {}),
  };
  return OperatorDetailsSchema.parse(next);
}

/** Saves the operator details (Setting `residency.operator`) and audits which fields changed. */
export async function changeOperatorDetails(opts: {
  prisma: PrismaClient;
  input: unknown;
  actor: Pick<AuditInput, "actorLabel" | "actorUserId" | "actorTokenId">;
  meta?: RequestMeta;
}): Promise<OperatorDetails> {
  const parsed = OperatorFormSchema.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Invalid operator details");
  return opts.prisma.$transaction(async (tx) => {
    const before = await getOperatorDetails({ prisma: tx }).catch(() => null); // an invalid old value is replaced
    const next = mergeOperatorForm(before, parsed.data);
    await tx.setting.upsert({ where: { key: OPERATOR_SETTING }, create: { key: OPERATOR_SETTING, value: next }, update: { value: next } });
    const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(next)]) as Set<keyof OperatorDetails>;
    const changed = [...keys].filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(next[k])).sort();
    // Field names only: the values (DPO name, phone) are personal data and live in the setting itself.
    await recordAudit({
      prisma: tx,
      action: "residency.operator.change",
      ...opts.actor,
      targetType: "setting",
      targetId: OPERATOR_SETTING,
      details: { changed },
      meta: opts.meta,
    });
    return next;
  });
}
