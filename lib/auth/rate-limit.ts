import type { PrismaClient } from "../generated/prisma/client";

// A fixed-window counter in the database, so every portal replica shares it. One statement: the
// window resets when it has expired, else the count goes up; the caller learns the new count.
export async function hitRateLimit(opts: {
  prisma: PrismaClient;
  key: string;
  windowSec: number;
  now?: Date;
}): Promise<{ count: number; resetAt: Date }> {
  const now = opts.now ?? new Date();
  const rows = await opts.prisma.$queryRaw<{ count: number; windowStart: Date }[]>`
    INSERT INTO "RateLimit" ("key", "windowStart", "count") VALUES (${opts.key}, ${now}, 1)
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimit"."windowStart" <= ${now}::timestamp - make_interval(secs => ${opts.windowSec}) THEN 1 ELSE "RateLimit"."count" + 1 END,
      "windowStart" = CASE WHEN "RateLimit"."windowStart" <= ${now}::timestamp - make_interval(secs => ${opts.windowSec}) THEN ${now} ELSE "RateLimit"."windowStart" END
    RETURNING "count", "windowStart"`;
  const row = rows[0]!;
  return { count: Number(row.count), resetAt: new Date(new Date(row.windowStart).getTime() + opts.windowSec * 1000) };
}

export async function clearRateLimit(opts: { prisma: PrismaClient; key: string }): Promise<void> {
  await opts.prisma.rateLimit.deleteMany({ where: { key: opts.key } });
}
