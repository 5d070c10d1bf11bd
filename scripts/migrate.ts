// Applies prisma/migrations to the PostgreSQL database in DATABASE_URL and exits: the one-shot
// migrator of docker-compose.yml (`migrate` service) and of the Kubernetes Job (deploy/k8s). The
// migrator holds an advisory lock, so portals that also migrate on boot wait instead of racing.
//   node --import tsx scripts/migrate.ts        (or: npm run migrate)
import pg from "pg";
import { z } from "zod";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";

const MigrateEnvSchema = z.object({
  DATABASE_URL: z.string({ error: "is not set" }).regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL"),
});

async function main(): Promise<void> {
  const parsed = MigrateEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(
      `DATABASE_URL ${parsed.error.issues[0]?.message ?? "is invalid"}: the migrator runs against PostgreSQL only (the embedded database migrates itself on boot)`,
    );
  }
  const migrations = readMigrations();
  const client = new pg.Client({ connectionString: parsed.data.DATABASE_URL });
  await client.connect();
  try {
    const ran = await applyMigrations(
      {
        exec: async (sql) => void (await client.query(sql)),
        query: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
      },
      migrations,
    );
    const summary = ran.length ? `applied ${ran.length}: ${ran.join(", ")}` : "already up to date";
    console.log(`[migrate] ${migrations.length} migrations known, ${summary}`);
  } finally {
    await client.end();
  }
}

main().catch((err: unknown) => {
  // Only the message: a pg error can carry the connection string, which holds the password.
  console.error(`[migrate] failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
