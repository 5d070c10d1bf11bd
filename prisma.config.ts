// Prisma 7 reads its configuration from here. Only `prisma generate` runs on the build machines
// (see scripts/prisma-generate.mjs); `prisma migrate deploy` works where Prisma's engines can be
// downloaded, against the same prisma/migrations folder that lib/db/migrate.ts applies.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/skjold" },
});
