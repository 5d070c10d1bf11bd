import { z } from "zod";
import { AppError } from "../core/errors";
import { env } from "../core/env";
import type { Db } from "./db";

// Operator-configured facts the reports and the ledger rely on, read from Setting rows.

export const OPERATOR_SETTING = "residency.operator";
export const PORTAL_LOCATION_SETTING = "portal.location";

const Contact = z.object({ name: z.string().min(1), email: z.string().optional(), phone: z.string().optional() });

export const OperatorDetailsSchema = z.object({
  company: z.string().min(1),
  orgNumber: z.string().optional(),
  address: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  representative: Contact.optional(),
  dpo: Contact.optional(),
  /** Article 32: the technical and organisational measures, in the operator's words. */
  securityMeasures: z.array(z.string().min(1)).optional(),
});
export type OperatorDetails = z.infer<typeof OperatorDetailsSchema>;

export const PortalLocationSchema = z.object({
  regionCode: z.string().min(1),
  hostName: z.string().min(1).optional(),
  poolName: z.string().min(1).optional(),
  path: z.string().min(1).optional(),
});
export type PortalLocation = z.infer<typeof PortalLocationSchema>;

async function readSetting<T>(prisma: Db, key: string, schema: z.ZodType<T>): Promise<T | null> {
  const row = await prisma.setting.findUnique({ where: { key } });
  if (!row) return null;
  const parsed = schema.safeParse(row.value);
  if (!parsed.success) {
    throw new AppError(
      "VALIDATION",
      `Setting ${key} is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  return parsed.data;
}

export function getOperatorDetails({ prisma }: { prisma: Db }): Promise<OperatorDetails | null> {
  return readSetting(prisma, OPERATOR_SETTING, OperatorDetailsSchema);
}

/** The portal location an admin set (Setting portal.location), or null: what the admin form shows. */
export function getConfiguredPortalLocation({ prisma }: { prisma: Db }): Promise<PortalLocation | null> {
  return readSetting(prisma, PORTAL_LOCATION_SETTING, PortalLocationSchema).catch(() => null);
}

/** Where the portal keeps what it holds for tenants (kubeconfigs, secrets, its database). */
export async function getPortalLocation({ prisma }: { prisma: Db }): Promise<PortalLocation> {
  const configured = await readSetting(prisma, PORTAL_LOCATION_SETTING, PortalLocationSchema);
  if (configured) return configured;
  const region = env().SKJOLD_PORTAL_REGION;
  if (region) return { regionCode: region };
  throw new AppError(
    "CONFLICT",
    `The portal's own location is not configured: set Setting ${PORTAL_LOCATION_SETTING} ({"regionCode": "osl1"}) or SKJOLD_PORTAL_REGION`,
  );
}
