import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ActionForm } from "@/components/action-form";
import { requireTeam, roleCan } from "@/lib/access/team-access";
import { listClusters } from "@/lib/clusters/queries";
import { DEFAULT_K3S_VERSION } from "@/lib/clusters/schemas";
import { AppError } from "@/lib/core/errors";
import { getPrisma } from "@/lib/db";
import { orderOptions } from "@/lib/orders/queries";
import { requireUser } from "../../../../_server/request";
import { orderClusterAction } from "./actions";

export const metadata: Metadata = { title: "k3s clusters" };

export default async function ClusterListPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requireUser();
  const prisma = await getPrisma();
  const hide = (e: unknown): never => {
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    throw e;
  };
  const { team, role } = await requireTeam({ prisma, principal: user, slug, need: "read" }).catch(hide);
  const clusters = await listClusters({ prisma, principal: user, teamSlug: slug });
  const options = roleCan(role, "operate") ? await orderOptions({ prisma, principal: user, teamSlug: slug }) : null;
  const regions = options?.regions.filter((r) => r.allowedByPolicy && r.hasCapacity) ?? [];
  return (
    <div className="stack">
      <p className="muted">
        <Link href={`/teams/${slug}`}>← {team.name}</Link>
      </p>
      <h1>k3s clusters</h1>
      <section className="card">
        {clusters.length === 0 ? (
          <p className="muted">No clusters yet.</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="cluster-list">
              <thead>
                <tr><th>Name</th><th>State</th><th>Region</th><th>k3s</th><th>API</th></tr>
              </thead>
              <tbody>
                {clusters.map((c) => (
                  <tr key={c.id}>
                    <td><Link className="mono" href={`/teams/${slug}/clusters/${c.id}`}>{c.name}</Link></td>
                    <td>{c.state.toLowerCase()}</td>
                    <td>{c.region.name} ({c.region.country})</td>
                    <td className="mono">{c.k3sVersion}</td>
                    <td className="mono">{c.apiEndpoint ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {options ? (
        <section className="card">
          <h2>Order a cluster</h2>
          <p className="muted">One hardened k3s server (Pod Security restricted, secrets encryption, audit log, default-deny policies), installed from the operator&apos;s air-gap artifacts.</p>
          <ActionForm action={orderClusterAction.bind(null, slug)} submit="Order cluster" testId="order-cluster">
            <label>Name <input name="name" required pattern="[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?" /></label>
            <label>Region <select name="regionCode">{regions.map((r) => <option key={r.code} value={r.code}>{r.name} ({r.country}, {r.jurisdiction})</option>)}</select></label>
            <label>Plan <select name="planCode">{options.plans.map((p) => <option key={p.code} value={p.code}>{p.name}: {p.vcpus} vCPU, {p.memoryMb} MB, {p.diskGb} GB</option>)}</select></label>
            <label>Image <select name="imageSlug">{options.images.map((i) => <option key={i.slug} value={i.slug}>{i.name}</option>)}</select></label>
            <label>SSH key <select name="sshKeyId">{options.sshKeys.map((k) => <option key={k.id} value={k.id}>{k.name} ({k.fingerprint})</option>)}</select></label>
            <label>k3s version <input name="k3sVersion" defaultValue={DEFAULT_K3S_VERSION} /></label>
          </ActionForm>
        </section>
      ) : null}
    </div>
  );
}
