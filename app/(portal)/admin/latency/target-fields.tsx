import type { LatencyTargetView } from "@/lib/latency/admin";
import type { T } from "@/app/_i18n/server";

// The fields of a probe target, empty for a new one or filled for an edit.
export function TargetFields({ t, target }: { t: T; target?: LatencyTargetView }) {
  return (
    <>
      <label>
        {t("latency.exchange")}
        <input name="exchange" required maxLength={64} placeholder="NIX Oslo" defaultValue={target?.exchange} />
      </label>
      <label>
        {t("common.name")}
        <input name="name" required maxLength={64} placeholder="rs1" defaultValue={target?.name} />
      </label>
      <label>
        {t("latency.address")}
        <input name="address" required maxLength={253} className="mono" defaultValue={target?.address} />
      </label>
      <label>
        {t("latency.port")}
        <input name="port" type="number" min={1} max={65535} className="latency-port" defaultValue={target?.port ?? ""} />
      </label>
      <label>
        {t("latency.method")}
        <select name="method" defaultValue={target?.method ?? "icmp"}>
          <option value="icmp">ICMP (ping)</option>
          <option value="tcp">{t("latency.methodTcp")}</option>
          <option value="both">ICMP + TCP</option>
        </select>
      </label>
      <label>
        {t("latency.count")}
        <input name="count" type="number" min={1} max={20} className="latency-count" defaultValue={target?.count ?? 5} />
      </label>
      <label>
        {t("latency.interval")}
        <input
          name="intervalSec"
          type="number"
          min={30}
          max={86400}
          className="latency-interval"
          defaultValue={target?.intervalSec ?? 300}
        />
      </label>
      <label className="check">
        <input type="checkbox" name="enabled" defaultChecked={target?.enabled ?? true} />
        {t("latency.enabled")}
      </label>
    </>
  );
}
