import { ActionForm, FieldError } from "@/components/action-form";
import { AppError } from "@/lib/core/errors";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { listHosts } from "@/lib/hosts";
import { getQuarantine } from "@/lib/network/get-quarantine";
import { ipPoolsByRegion } from "@/lib/network/ip-pools-by-region";
import { lookUpAddress } from "@/lib/network/look-up-address";
import { errorText } from "@/app/_i18n/lib-text";
import { getT, pageTitle, type T } from "@/app/_i18n/server";
import { requireUser, type UserPrincipal } from "@/app/_server/request";
import { setQuarantineAction } from "./actions";
import { AddressLookup, type Lookup } from "./address-lookup";
import { PoolForm } from "./pool-form";
import { PoolTable } from "./pool-table";

export const generateMetadata = pageTitle("admin.networks");

type Search = { address?: string | string[]; at?: string | string[] };
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() ?? "";

async function lookUp(principal: UserPrincipal, search: Search, t: T): Promise<Lookup> {
  const address = one(search.address);
  const at = one(search.at);
  if (!address) return { state: "none" };
  try {
    const result = await lookUpAddress({ prisma: await getPrisma(), principal, input: { address, at: at || undefined } });
    return { state: "found", address, at, result };
  } catch (e) {
    if (e instanceof AppError && e.code === "VALIDATION") return { state: "refused", address, at, message: errorText(e, t) };
    throw e;
  }
}

export default async function NetworksPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const prisma = await getPrisma();
  const { regions } = await ipPoolsByRegion({ prisma, principal: user });
  const hosts = await readAllPages((page) => listHosts({ prisma, principal: user, page }));
  const quarantine = await getQuarantine({ prisma, principal: user });
  const lookup = await lookUp(user, await searchParams, t);
  const withPools = regions.filter((r) => r.pools.length > 0);
  const withoutPools = regions.filter((r) => r.pools.length === 0);
  const routedHosts = hosts.filter((h) => h.networkMode === "ROUTED").map((h) => ({ name: h.name, region: h.region.code }));
  return (
    <>
      <h1>{t("admin.networks")}</h1>
      <p className="muted">{t("networks.intro")}</p>
      {withPools.map((r) => (
        <PoolTable key={r.code} region={r} t={t} />
      ))}
      {withoutPools.length > 0 ? (
        <p className="muted" data-testid="regions-without-pools">
          {t("networks.none", { regions: withoutPools.map((r) => `${r.name} (${r.code})`).join(", ") })}
        </p>
      ) : null}
      <PoolForm t={t} regions={regions} routedHosts={routedHosts} />
      <AddressLookup lookup={lookup} t={t} />
      <section className="card" data-testid="quarantine">
        <h2>{t("networks.quarantineTitle")}</h2>
        <p className="muted">{t("networks.quarantineHelp")}</p>
        <ActionForm action={setQuarantineAction} submit={t("networks.quarantineSave")} inline>
          <label>
            {t("networks.quarantineHours")}
            <input
              name="hours"
              type="number"
              min={0}
              max={quarantine.maxSeconds / 3600}
              step="any"
              required
              defaultValue={quarantine.quarantineSeconds / 3600}
            />
            <FieldError name="quarantineSeconds" />
          </label>
        </ActionForm>
      </section>
    </>
  );
}
