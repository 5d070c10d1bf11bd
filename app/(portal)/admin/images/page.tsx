import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { DataTable } from "@/components/data-table";
import { formatBytes } from "@/components/format-bytes";
import { listHosts, listImages } from "@/lib/hosts";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { getT, pageTitle } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { registerImageAction } from "@/app/(portal)/admin/hosts/actions";

export const generateMetadata = pageTitle("admin.images");

export default async function ImagesPage() {
  const user = await requireUser();
  const { t } = await getT(user.locale);
  const prisma = await getPrisma();
  const [images, hosts] = await Promise.all([
    readAllPages((page) => listImages({ prisma, principal: user, page })),
    readAllPages((page) => listHosts({ prisma, principal: user, page })),
  ]);
  const pools = hosts
    .filter((h) => h.status === "ONLINE")
    .flatMap((h) => h.pools.map((p) => ({ hostId: h.id, host: h.name, pool: p.name })));
  return (
    <>
      <h1>{t("admin.images")}</h1>
      <section className="card table-wrap">
        <DataTable
          bare
          testId="images"
          rows={images.flatMap((img) => (img.copies.length ? img.copies : [null]).map((copy) => ({ img, copy })))}
          rowKey={({ img, copy }) => `${img.id}-${copy?.id ?? "none"}`}
          columns={[
            { key: "image", header: t("images.image"), cell: ({ img }) => `${img.name} (${img.slug})` },
            { key: "os", header: t("images.os"), cell: ({ img }) => `${img.os} ${img.version}` },
            {
              key: "host",
              header: t("images.host"),
              cell: ({ copy }) =>
                copy ? (
                  <Link href={`/admin/hosts/${copy.host.id}`}>{copy.host.name}</Link>
                ) : (
                  <span className="muted">{t("images.notOnHost")}</span>
                ),
            },
            {
              key: "volume",
              header: t("images.volume"),
              className: "mono",
              cell: ({ copy }) => (copy ? `${copy.pool.name}/${copy.volume}` : ""),
            },
            { key: "size", header: t("images.size"), cell: ({ copy }) => (copy ? formatBytes(copy.sizeBytes, { unit: "GiB" }) : "") },
            {
              key: "sha256",
              header: "sha256",
              className: "mono",
              cell: ({ copy }) => (copy ? `${copy.checksumSha256.slice(0, 16)}…` : ""),
            },
            {
              key: "boot",
              header: t("images.directBoot"),
              className: "mono",
              cell: ({ copy }) => (copy ? t(copy.kernelPath ? "images.kernelInitrd" : "images.bootloader") : ""),
            },
          ]}
        />
      </section>
      <section className="card">
        <h2>{t("images.registerTitle")}</h2>
        <p className="muted">{t("images.registerIntro")}</p>
        <ActionForm action={registerImageAction} submit={t("images.register")} testId="register-image">
          <label>
            {t("images.image")}
            <select name="imageSlug">
              {images.map((i) => (
                <option key={i.slug} value={i.slug}>
                  {i.slug}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("images.hostPool")}
            <select name="hostPool" disabled={pools.length === 0}>
              {pools.map((p) => (
                <option key={`${p.hostId}/${p.pool}`} value={`${p.hostId}/${p.pool}`}>{`${p.host} / ${p.pool}`}</option>
              ))}
            </select>
          </label>
          <label>
            {t("images.volume")}
            <input name="volume" required className="mono" placeholder="debian-12-base-….qcow2" />
          </label>
          <label>
            {t("images.kernelOptional")}
            <input name="kernelPath" className="mono" />
          </label>
          <label>
            {t("images.initrdOptional")}
            <input name="initrdPath" className="mono" />
          </label>
          <label>
            {t("images.sha256Optional")}
            <input name="expectedSha256" className="mono" />
          </label>
        </ActionForm>
      </section>
    </>
  );
}
