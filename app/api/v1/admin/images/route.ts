import { listImages, registerImage } from "@/lib/hosts";
import { RegisterImageInput } from "@/lib/hosts/schemas";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute({ role: "admin" }, async ({ prisma, principal }) => listImages({ prisma, principal }));

/** Registers a base image on a host's pool; the checksum is computed on the host. */
export const POST = apiRoute({ role: "admin", body: RegisterImageInput }, async ({ prisma, principal, meta, body }) =>
  registerImage({ prisma, principal, meta, input: body }),
);
