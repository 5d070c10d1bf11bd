import type { T } from "@/app/_i18n/server";
import type { Jurisdiction, ResidencyPolicy } from "@/lib/generated/prisma/enums";
import { describePolicies } from "@/lib/residency";

type Region = { code: string; name: string; country: string; jurisdiction: Jurisdiction };

/** The three policies and the regions each allows, with the team's current one marked. */
export function PoliciesTable({ t, regions, current }: { t: T; regions: Region[]; current: ResidencyPolicy }) {
  return (
    <div className="table-wrap">
      <table data-testid="policies">
        <thead>
          <tr>
            <th>{t("residency.policy")}</th>
            <th>{t("residency.jurisdictions")}</th>
            <th>{t("residency.allowedRegions")}</th>
          </tr>
        </thead>
        <tbody>
          {describePolicies(regions).map((p) => (
            <tr
              key={p.policy}
              data-policy={p.policy}
              aria-current={p.policy === current ? "true" : undefined}
              style={p.policy === current ? { background: "#eef5f9" } : undefined}
            >
              <td>
                <strong>{p.label}</strong> {p.policy === current ? <span className="badge ok">{t("residency.current")}</span> : null}
              </td>
              <td className="mono">{p.jurisdictions.join(", ")}</td>
              <td>
                {p.regions.length === 0
                  ? t("common.none")
                  : p.regions.map((r) => `${r.name} (${r.code}, ${r.country}, ${r.jurisdiction})`).join(" · ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{t("residency.norwayNote")}</p>
    </div>
  );
}
