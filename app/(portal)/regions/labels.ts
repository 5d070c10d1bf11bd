import type { LatencyChartLabels } from "@/components/latency-chart";
import type { RegionLatencyLabels } from "@/components/region-latency";
import type { T } from "@/app/_i18n/server";

// The shared latency components take their words as props (they render on server and client).
export function regionLatencyLabels(t: T): RegionLatencyLabels {
  return { noData: t("latency.noData"), stale: t("latency.stale"), title: t("latency.figureTitle"), noTarget: t("latency.notMeasured") };
}

export function latencyChartLabels(t: T): LatencyChartLabels {
  return {
    median: t("latency.median"),
    p95: t("latency.p95"),
    noData: t("latency.chartNoData"),
    axis: t("latency.chartAxis"),
    caption: t("latency.chartCaption"),
  };
}

export const JURISDICTION_KEY = {
  NO_EEA: "latency.jurisdiction.NO_EEA",
  EU: "latency.jurisdiction.EU",
  EEA_OTHER: "latency.jurisdiction.EEA_OTHER",
  THIRD_COUNTRY: "latency.jurisdiction.THIRD_COUNTRY",
} as const;
