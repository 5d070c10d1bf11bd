import { DataTable } from "@/components/data-table";
import type { T } from "@/app/_i18n/server";
import type { Jurisdiction, ResidencyPolicy } from "@/lib/generated/prisma/enums";
import { describePolicies } from "@/lib/residency";

type Region = { code: string; name: string; country: string; jurisdiction: Jurisdiction };

/** The three policies and the regions each allows, with the team's current one marked. */
export function PoliciesTable({ t, regions, current }: { t: T; regions: Region[]; current: ResidencyPolicy }) {
  return (
    <div className="table-wrap">
      <DataTable
        bare
        testId="policies"
        rows={describePolicies(regions)}
        rowKey={(p) => p.policy}
        rowProps={(p) => ({ "data-policy": p.policy, "aria-current": p.policy === current ? "true" : undefined })}
        columns={[
          {
            key: "policy",
            header: t("residency.policy"),
            cell: (p) => (
              <>
                <strong>{t(`residency.policyName.${p.policy}`)}</strong>{" "}
                {p.policy === current ? <span className="badge ok">{t("residency.current")}</span> : null}
              </>
            ),
          },
          { key: "jurisdictions", header: t("residency.jurisdictions"), className: "mono", cell: (p) => p.jurisdictions.join(", ") },
          {
            key: "regions",
            header: t("residency.allowedRegions"),
            cell: (p) =>
              p.regions.length === 0
                ? t("common.none")
                : p.regions.map((r) => `${r.name} (${r.code}, ${r.country}, ${r.jurisdiction})`).join(" · "),
          },
        ]}
      />
      <p className="muted">{t("residency.norwayNote")}</p>
    </div>
  );
}
