import { ActionForm } from "@/components/action-form";
import { DataTable } from "@/components/data-table";
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
      <DataTable
        bare
        rows={region.pools}
        rowKey={(p) => p.id}
        rowProps={(p) => ({ "data-testid": `pool-${p.name}` })}
        columns={[
          { key: "name", header: t("networks.name"), cell: (p) => p.name },
          {
            key: "kind",
            header: t("networks.kind"),
            cell: (p) => (
              <>
                <span className="badge">{p.family === "IPV4" ? "IPv4" : "IPv6"}</span>{" "}
                {t(p.kind === "routed" ? "networks.kindRouted" : "networks.kindSegment")}
                <div className="muted">{t("networks.perVm", { len: p.unitPrefixLen })}</div>
              </>
            ),
          },
          { key: "cidr", header: t("networks.cidr"), className: "mono", cell: (p) => p.cidr },
          {
            key: "gateway",
            header: t("networks.gateway"),
            className: "mono",
            cell: (p) => p.gateway ?? <span className="muted">{t("networks.routedGateway")}</span>,
          },
          {
            key: "range",
            header: t("networks.range"),
            className: "mono",
            cell: (p) =>
              p.rangeStart || p.rangeEnd ? (
                `${p.rangeStart ?? "…"} – ${p.rangeEnd ?? "…"}`
              ) : (
                <span className="muted">{t("networks.wholePrefix")}</span>
              ),
          },
          { key: "reserved", header: t("networks.reserved"), className: "mono", cell: (p) => p.reserved.join(", ") || "–" },
          { key: "dns", header: t("networks.dns"), className: "mono", cell: (p) => p.dns.join(", ") || "–" },
          {
            key: "serves",
            header: t("networks.serves"),
            cell: (p) => (p.host ? p.host.name : <span className="muted">{t("networks.segment")}</span>),
          },
          {
            key: "use",
            header: t("networks.use"),
            cellProps: () => ({ "data-testid": "use" }),
            cell: (p) => (
              <>
                <div>{t("networks.useTaken", { held: figure(p.use.held), quarantined: figure(p.use.quarantined) })}</div>
                <div className="muted">{t("networks.useFree", { free: figure(p.use.free), capacity: figure(p.use.capacity) })}</div>
              </>
            ),
          },
          {
            key: "delete",
            header: "",
            cell: (p) => (
              <ActionForm
                action={deletePoolAction}
                submit={t("networks.delete")}
                variant="danger"
                confirm={t("networks.deleteConfirm", { name: p.name, cidr: p.cidr })}
              >
                <input type="hidden" name="id" value={p.id} />
              </ActionForm>
            ),
          },
        ]}
      />
    </section>
  );
}
