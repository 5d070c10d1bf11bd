import type { Principal } from "../../access/principal";
import type { PrismaClient } from "../../generated/prisma/client";

export type TeamQuery = { prisma: PrismaClient; principal: Principal; teamSlug: string };

export const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
