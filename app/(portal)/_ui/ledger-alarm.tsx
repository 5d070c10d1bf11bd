import Link from "next/link";
import type { T } from "@/app/_i18n/server";
import type { Principal } from "@/lib/access/principal";
import { getPrisma } from "@/lib/db";
import { readLedgerAlarm } from "@/lib/residency";
import { utc } from "@/app/(portal)/teams/[slug]/residency/_ui/format";

/** The banner above every page while the residency ledger is broken and no admin has acknowledged it. */
export async function LedgerAlarm({ t, principal }: { t: T; principal: Principal }) {
  const alarm = await readLedgerAlarm({ prisma: await getPrisma(), principal });
  if (!alarm) return null;
  return (
    <p className="alert error flush-top" role="alert" data-testid="ledger-alarm">
      {t("alarm.ledgerBroken", { seq: alarm.brokenAt.seq, at: utc(alarm.detectedAt) })} <Link href={alarm.href}>{t("alarm.details")}</Link>
    </p>
  );
}
