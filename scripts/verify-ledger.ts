// Recomputes the residency ledger's hash chain against the configured database (DATABASE_URL, or the
// embedded database under SKJOLD_DATA_DIR) and exits 1 at the first broken link.
//   npx tsx scripts/verify-ledger.ts [--json]
import { getDatabase } from "@/lib/db";
import { verifyLedger } from "@/lib/residency/verify";

async function main(): Promise<number> {
  const db = await getDatabase();
  try {
    const result = await verifyLedger({ prisma: db.prisma });
    if (process.argv.includes("--json")) console.log(JSON.stringify(result));
    else if (result.ok) console.log(`ledger OK: ${result.count} entries, head seq ${result.head.seq} hash ${result.head.hash}`);
    else {
      const b = result.brokenAt;
      console.error(
        `ledger BROKEN at seq ${b.seq} (${b.problem}): expected ${b.expected}, found ${b.found}; ${result.count} entries before it verified`,
      );
    }
    return result.ok ? 0 : 1;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`verify-ledger failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
