import { ActionForm } from "@/components/action-form";
import type { RegionPools } from "@/lib/network/ip-pools-by-region";
import type { T } from "@/app/_i18n/server";
import { deletePoolAction } from "./actions";
import { figure } from "./format";

/** A region's pools: what each hands out, to whom it belongs, and how much of it is taken. */
export function PoolTable({ region, t }: { region: RegionPools; t: T }) {
  return (
    <section className="card table-wrap" data-testid={`pools-${region.code}`}>
      <h2>
        {region.name} <span className="muted mono">{region.code}</span>
      </h2>
      <table>
        <thead>
          <tr>
            <th>{t("networks.name")}</th>
            <th>{t("networks.kind")}</th>
            <th>{t("networks.cidr")}</th>
            <th>{t("networks.gateway")}</th>
            <th>{t("networks.range")}</th>
            <th>{t("networks.reserved")}</th>
            <th>{t("networks.dns")}</th>
            <th>{t("networks.serves")}</th>
            <th>{t("networks.use")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {region.pools.map((p) => (
            <tr key={p.id} data-testid={`pool-${p.name}`}>
              <td>{p.name}</td>
              <td>
                <span className="badge">{p.family === "IPV4" ? "IPv4" : "IPv6"}</span>{" "}
                {t(p.kind === "routed" ? "networks.kindRouted" : "networks.kindSegment")}
                <div className="muted">{t("networks.perVm", { len: String(p.unitPrefixLen) })}</div>
              </td>
              <td className="mono">{p.cidr}</td>
              <td className="mono">{p.gateway ?? <span className="muted">{t("networks.routedGateway")}</span>}</td>
              <td className="mono">
                {p.rangeStart || p.rangeEnd ? (
                  `${p.rangeStart ?? "…"} – ${p.rangeEnd ?? "…"}`
                ) : (
                  <span className="muted">{t("networks.wholePrefix")}</span>
                )}
              </td>
              <td className="mono">{p.reserved.join(", ") || "–"}</td>
              <td className="mono">{p.dns.join(", ") || "–"}</td>
              <td>{p.host ? p.host.name : <span className="muted">{t("networks.segment")}</span>}</td>
              <td data-testid="use">
                <div>{t("networks.useTaken", { held: figure(p.use.held), quarantined: figure(p.use.quarantined) })}</div>
                <div className="muted">{t("networks.useFree", { free: figure(p.use.free), capacity: figure(p.use.capacity) })}</div>
              </td>
              <td>
                <ActionForm
                  action={deletePoolAction}
                  submit={t("networks.delete")}
                  variant="danger"
                  confirm={t("networks.deleteConfirm", { name: p.name, cidr: p.cidr })}
                >
                  <input type="hidden" name="id" value={p.id} />
                </ActionForm>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
