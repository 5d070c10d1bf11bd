import { readPageQuery } from "@/lib/core/pagination";
import { listImages, registerImage } from "@/lib/hosts";
import { RegisterImageInput } from "@/lib/hosts/schemas";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute({ role: "admin" }, async ({ prisma, principal, req }) =>
  listImages({ prisma, principal, page: readPageQuery(req.nextUrl.searchParams) }),
);

/** Registers a base image on a host's pool; the checksum is computed on the host. */
export const POST = apiRoute({ role: "admin", body: RegisterImageInput }, async ({ prisma, principal, meta, body }) =>
  registerImage({ prisma, principal, meta, input: body }),
);
