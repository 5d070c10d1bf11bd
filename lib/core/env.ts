import { z } from "zod";

// Every environment variable Skjold reads, validated once. A wrong value stops the process with a
// message naming the variable, instead of failing later somewhere unrelated.
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  SKJOLD_DATA_DIR: z.string().min(1).default("./data"),
  SKJOLD_SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/=_-]{43,}$/, "must be at least 32 random bytes, base64 encoded (openssl rand -base64 32)")
    .optional(),
  SKJOLD_ADMIN_EMAIL: z.string().email().default("admin@skjold.local"),
  SKJOLD_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  SKJOLD_PUBLIC_URL: z.string().url().optional(),
  SKJOLD_INLINE_WORKER: z.enum(["0", "1"]).optional(),
  SKJOLD_PORTAL_REGION: z
    .string()
    .regex(/^[a-z0-9-]{2,32}$/)
    .optional(),
  SKJOLD_K3S_ARTIFACTS_DIR: z.string().optional(),
  SKJOLD_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  // Lets a Prometheus server scrape /api/v1/admin/metrics with `Authorization: Bearer <token>`.
  SKJOLD_METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{32,512}$/, "must be 32–512 printable characters without spaces (openssl rand -hex 32)")
    .optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join("\n")}`);
  }
  const env = result.data;
  if (env.NODE_ENV === "production" && env.DATABASE_URL && !env.SKJOLD_SECRET_KEY) {
    throw new EnvError(
      "Invalid environment:\n  SKJOLD_SECRET_KEY: required in production with PostgreSQL (openssl rand -base64 32); " +
        "it encrypts SSH keys, kubeconfigs and TOTP secrets at rest",
    );
  }
  return env;
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
