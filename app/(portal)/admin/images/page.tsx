import type { Metadata } from "next";
import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { listHosts, listImages } from "@/lib/hosts";
import { readAllPages } from "@/lib/core/pagination";
import { getPrisma } from "@/lib/db";
import { getT } from "@/app/_i18n/server";
import { requireUser } from "@/app/_server/request";
import { registerImageAction } from "@/app/(portal)/admin/hosts/actions";
import { gib } from "@/app/(portal)/admin/hosts/format";

export const metadata: Metadata = { title: "Images" };

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
        <table data-testid="images">
          <thead>
            <tr>
              <th>Image</th>
              <th>OS</th>
              <th>Host</th>
              <th>Volume</th>
              <th>Size</th>
              <th>sha256</th>
              <th>Direct boot</th>
            </tr>
          </thead>
          <tbody>
            {images.flatMap((img) =>
              (img.copies.length ? img.copies : [null]).map((c, i) => (
                <tr key={`${img.id}-${c?.id ?? i}`}>
                  <td>{`${img.name} (${img.slug})`}</td>
                  <td>{`${img.os} ${img.version}`}</td>
                  <td>
                    {c ? <Link href={`/admin/hosts/${c.host.id}`}>{c.host.name}</Link> : <span className="muted">not on any host</span>}
                  </td>
                  <td className="mono">{c ? `${c.pool.name}/${c.volume}` : ""}</td>
                  <td>{c ? gib(c.sizeBytes) : ""}</td>
                  <td className="mono">{c ? `${c.checksumSha256.slice(0, 16)}…` : ""}</td>
                  <td className="mono">{c?.kernelPath ? "kernel + initrd" : c ? "bootloader" : ""}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h2>Register an image on a host</h2>
        <p className="muted">
          The volume must already be in the pool. Skjold computes its sha256 on the host. Images found on a host can also be registered from
          the host&apos;s page.
        </p>
        <ActionForm action={registerImageAction} submit="Register image" testId="register-image">
          <label>
            Image
            <select name="imageSlug">
              {images.map((i) => (
                <option key={i.slug} value={i.slug}>
                  {i.slug}
                </option>
              ))}
            </select>
          </label>
          <label>
            Host and pool
            <select name="hostPool" disabled={pools.length === 0}>
              {pools.map((p) => (
                <option key={`${p.hostId}/${p.pool}`} value={`${p.hostId}/${p.pool}`}>{`${p.host} / ${p.pool}`}</option>
              ))}
            </select>
          </label>
          <label>
            Volume
            <input name="volume" required className="mono" placeholder="debian-12-base-….qcow2" />
          </label>
          <label>
            Kernel (direct boot, optional)
            <input name="kernelPath" className="mono" />
          </label>
          <label>
            Initrd (optional)
            <input name="initrdPath" className="mono" />
          </label>
          <label>
            Expected sha256 (optional)
            <input name="expectedSha256" className="mono" />
          </label>
        </ActionForm>
      </section>
    </>
  );
}
