import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ActionForm } from "@/components/action-form";
import { requireTeam, roleCan } from "@/lib/access/team-access";
import { getCluster } from "@/lib/clusters/queries";
import { AppError } from "@/lib/core/errors";
import { getPrisma } from "@/lib/db";
import { requireUser } from "../../../../../_server/request";
import { deleteClusterAction } from "../actions";

export const metadata: Metadata = { title: "k3s cluster" };

type Control = { id: string; title: string; status: string; evidence: string };

export default async function ClusterPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const user = await requireUser();
  const prisma = await getPrisma();
  const hide = (e: unknown): never => {
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    throw e;
  };
  const { role } = await requireTeam({ prisma, principal: user, slug, need: "read" }).catch(hide);
  const c = await getCluster({ prisma, principal: user, teamSlug: slug, clusterId: id }).catch(hide);
  const canOperate = roleCan(role, "operate");
  const controls = (c.hardeningReport?.controls ?? []) as Control[];
  return (
    <div className="stack">
      <p className="muted"><Link href={`/teams/${slug}/clusters`}>← k3s clusters</Link></p>
      <h1 className="mono">{c.name}</h1>
      <section className="card" data-testid="cluster-facts">
        <p>State: <strong>{c.state.toLowerCase()}</strong>{c.lastError ? <span className="alert error" role="alert"> {c.lastError}</span> : null}</p>
        <p>k3s <span className="mono">{c.k3sVersion}</span> ({c.installMode === "AIRGAP" ? "air-gapped" : "online"}) in {c.region.name} ({c.region.country}, {c.region.jurisdiction})</p>
        <p>API: <span className="mono">{c.apiEndpoint ?? "not yet"}</span></p>
        <p>Nodes: {c.nodes.map((n) => <Link key={n.id} className="mono" href={`/teams/${slug}/vms/${n.id}`}>{n.name} ({n.clusterRole}, {n.state.toLowerCase()}) </Link>)}</p>
        {canOperate && c.kubeconfigReady ? <p><a className="button" href={`/api/v1/teams/${slug}/clusters/${c.id}/kubeconfig`} download>Download kubeconfig</a> <span className="muted">(every download is recorded in the audit log)</span></p> : null}
      </section>
      {c.hardeningReport ? (
        <section className="card">
          <h2>k3s hardening: {c.hardeningReport.passed} pass, {c.hardeningReport.failed} fail</h2>
          <ul>{controls.map((ctl) => <li key={ctl.id}><strong>{ctl.status}</strong> {ctl.title} <span className="muted mono">{ctl.evidence}</span></li>)}</ul>
        </section>
      ) : null}
      {canOperate && c.state !== "DELETED" ? (
        <ActionForm action={deleteClusterAction.bind(null, slug, c.id)} submit="Delete cluster" variant="danger" confirm={`Delete ${c.name} and its nodes?`} />
      ) : null}
    </div>
  );
}
