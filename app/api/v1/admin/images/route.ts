import { listImages, registerImage } from "@/lib/hosts";
import { readJsonBody } from "@/lib/core/validation";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(async ({ prisma, principal }) => listImages({ prisma, principal }));

/** Registers a base image on a host's pool; the checksum is computed on the host. */
export const POST = apiRoute(async ({ prisma, principal, meta, req }) =>
  registerImage({ prisma, principal, meta, input: await readJsonBody(req) }),
);
