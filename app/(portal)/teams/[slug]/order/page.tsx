import Link from "next/link";
import { notFound } from "next/navigation";
import { AppError } from "@/lib/core/errors";
import { getPrisma } from "@/lib/db";
import { nixLatencyByRegion } from "@/lib/latency/nix-latency";
import { orderOptions } from "@/lib/vms/order/order-options";
import { readAllPages } from "@/lib/core/pagination";
import { listPrivateNetworks } from "@/lib/network/private/list-private-networks";
import { regionLatencyLabels } from "@/app/(portal)/regions/labels";
import { getT, pageTitle } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { placeOrderAction } from "./actions";
import { OrderForm } from "./order-form";

export const generateMetadata = pageTitle("team.orderVm");

const JURISDICTIONS = ["NO_EEA", "EU", "EEA_OTHER", "THIRD_COUNTRY"] as const;

export default async function OrderPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const prisma = await getPrisma();
  const options = await orderOptions({ prisma, principal: user, teamSlug: slug }).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    if (e instanceof AppError && e.code === "FORBIDDEN") return null;
    throw e;
  });
  const header = (
    <p className="muted">
      <Link href={`/teams/${slug}`}>← {slug}</Link> · <Link href={`/teams/${slug}/vms`}>{t("team.vms")}</Link>
    </p>
  );
  if (!options) {
    return (
      <div className="stack">
        {header}
        <h1>{t("order.title")}</h1>
        <p className="alert error">{t("order.cannotOrder")}</p>
      </div>
    );
  }
  const policy = t(`policy.${options.policy}`);
  const latency = await nixLatencyByRegion({ prisma });
  const networks = await readAllPages((page) => listPrivateNetworks({ prisma, principal: user, teamSlug: slug, page }));
  return (
    <div className="stack">
      {header}
      <h1>{t("order.title")}</h1>
      <section className="card">
        <OrderForm
          regions={options.regions.map((r) => ({
            code: r.code,
            name: r.name,
            city: r.city,
            country: r.country,
            jurisdiction: r.jurisdiction,
            allowedByPolicy: r.allowedByPolicy,
            hasCapacity: r.hasCapacity,
            noHealthyHost: r.noHealthyHost,
            latency: latency[r.code] ?? null,
          }))}
          plans={options.plans.map((p) => ({
            code: p.code,
            name: p.name,
            vcpus: p.vcpus,
            memoryMb: p.memoryMb,
            diskGb: p.diskGb,
            priceNokMonthly: p.priceNokMonthly,
          }))}
          images={options.images.map((i) => ({ slug: i.slug, name: i.name }))}
          sshKeys={options.sshKeys.map((k) => ({ id: k.id, name: k.name, keyType: k.keyType, fingerprint: k.fingerprint }))}
          quota={options.quota}
          privateNetworks={networks.map((n) => ({ id: n.id, name: n.name, regionCode: n.regionCode, cidr: n.cidr }))}
          action={placeOrderAction.bind(null, slug)}
          regionLabels={{
            legend: t("order.region"),
            latency: t("order.latency"),
            noLatency: t("order.noLatency"),
            latencyFigure: regionLatencyLabels(t),
            outsidePolicy: t("order.outsidePolicy", { policy }),
            noCapacity: t("order.noCapacity"),
            noHealthyHost: t("order.noHealthyHost"),
            jurisdiction: Object.fromEntries(JURISDICTIONS.map((j) => [j, t(`jurisdiction.${j}`)])),
          }}
          labels={{
            plan: t("order.plan"),
            image: t("order.image"),
            sshKey: t("order.sshKey"),
            noKeys: t("order.noKeys"),
            addKey: t("order.addKey"),
            hostname: t("order.hostname"),
            hostnameHint: t("order.hostnameHint"),
            submit: t("order.submit"),
            quota: t("order.quota"),
            overQuota: t("order.overQuota"),
            perMonth: t("order.perMonth"),
            vcpus: t("plans.vcpus"),
            memory: t("plans.memory"),
            disk: t("plans.disk"),
            privateNetworks: t("order.privateNetworks"),
          }}
        />
      </section>
    </div>
  );
}
