import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedSshPool } from "@/lib/hosts/host-target";
import { createJobRegistry } from "@/lib/jobs/job-registry";
import { startWorker } from "@/lib/jobs/worker";
import { listDomains } from "@/lib/libvirt/domains";
import { listVolumes } from "@/lib/libvirt/volumes";
import { deleteVmJob } from "@/lib/vms/delete/delete-vm-job";
import { provisionClusterJob } from "@/lib/clusters/provision/provision-cluster-job";
import { orderCluster } from "@/lib/clusters/order/order-cluster";
import { retryCluster } from "@/lib/clusters/provision/retry-cluster";
import { setClusterApiAccess } from "@/lib/clusters/api-access/set-cluster-api-access";
import { verifyClusterNow } from "@/lib/clusters/verify/verify-cluster-now";
import { deleteCluster } from "@/lib/clusters/delete/delete-cluster";
import { downloadKubeconfig } from "@/lib/clusters/queries/download-kubeconfig";
import { getCluster } from "@/lib/clusters/queries/get-cluster";
import { listClusters } from "@/lib/clusters/queries/list-clusters";
import type { AppError } from "@/lib/core/errors";
import { encryptSecret } from "@/lib/core/secrets";
import type { Database } from "@/lib/db/connect";
import { recordPortalHeldData } from "@/lib/residency/portal-held";
import { PORTAL_LOCATION_SETTING } from "@/lib/residency/settings";
import { DB_KINDS, freshDatabase } from "@/tests/helpers/db";
import { makeUser } from "@/tests/helpers/factories";
import { findOrphans, makeTenant, onboardLabHost, waitForJob } from "@/tests/helpers/provision-lab";

// Ordering, viewing, downloading and deleting tenant clusters, without booting anything (no
// provisioning worker runs; only "vm.delete" jobs are run, against the real lab host). The k3s half
// on real guests is proven in k3s-booted.test.ts and cluster-provision.test.ts.

const refusal = async (p: Promise<unknown>) =>
  (await p.then(
    () => null,
    (e: unknown) => e,
  )) as AppError;
const KUBECONFIG =
  "apiVersion: v1\nkind: Config\nclusters:\n- name: default\n  cluster:\n    server: https://c1-server:6443\nusers:\n- name: default\n";

describe.each(DB_KINDS)("tenant clusters (%s)", (kind) => {
  let db: Database;
  let tenant: Awaited<ReturnType<typeof makeTenant>>;
  let lab: Awaited<ReturnType<typeof onboardLabHost>>["lab"];
  /** Runs only the "vm.delete" jobs (nothing boots) until the given jobs ended. */
  const runDeletes = async (jobIds: string[]) => {
    const worker = startWorker({ prisma: db.prisma, registry: createJobRegistry(deleteVmJob), pollMs: 50, leaseMs: 10_000, log: () => {} });
    try {
      for (const id of jobIds) expect((await waitForJob(db, id, () => false, 120_000)).state).toBe("SUCCEEDED");
    } finally {
      await worker.stop({ graceMs: 1_000 });
    }
  };
  const order = (over: Record<string, unknown> = {}) => ({
    name: "c1",
    regionCode: "osl1",
    planCode: "nano",
    imageSlug: "debian-12",
    sshKeyId: tenant.sshKey.id,
    ...over,
  });
  const ctx = () => ({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug });

  beforeAll(async () => {
    db = await freshDatabase(kind);
    lab = (await onboardLabHost(db.prisma, { cpuCount: 8, memoryMb: 8192, vcpuOvercommit: 1 })).lab;
    await db.prisma.setting.create({ data: { key: PORTAL_LOCATION_SETTING, value: { regionCode: "osl1" } } });
    tenant = await makeTenant(db.prisma, { maxVms: 6 });
  });
  afterAll(async () => db?.close());

  it("refuses a hostile name, a viewer and an outsider, and creates nothing", async () => {
    for (const name of ["C1", "c1;reboot", "a".repeat(41), ""])
      expect((await refusal(orderCluster({ ...ctx(), input: order({ name }) }))).code).toBe("VALIDATION");
    expect((await refusal(orderCluster({ ...ctx(), input: order({ k3sVersion: "v1.29.0+k3s1" }) }))).message).toMatch(
      /k3sVersion: must be a pinned k3s release v1\.30 or newer/,
    );
    const { user, principal } = await makeUser(db.prisma);
    await db.prisma.membership.create({ data: { userId: user.id, teamId: tenant.team.id, role: "VIEWER" } });
    expect((await refusal(orderCluster({ ...ctx(), principal, input: order() }))).code).toBe("FORBIDDEN");
    const other = await makeTenant(db.prisma);
    expect((await refusal(orderCluster({ ...ctx(), principal: other.principal, input: order() }))).code).toBe("NOT_FOUND");
    expect(await db.prisma.cluster.count()).toBe(0);
    expect(await db.prisma.virtualMachine.count({ where: { teamId: tenant.team.id } })).toBe(0);
  });

  it("orders a server node as a VM with the cluster's role, a cluster.provision job and an audit entry", async () => {
    const { cluster, vmId, jobId } = await orderCluster({ ...ctx(), input: order() });
    expect(cluster).toMatchObject({
      name: "c1",
      state: "PROVISIONING",
      k3sVersion: "v1.31.4+k3s1",
      installMode: "AIRGAP",
      kubeconfigEnc: null,
    });
    expect(await db.prisma.virtualMachine.findUniqueOrThrow({ where: { id: vmId } })).toMatchObject({
      name: "c1-server",
      clusterId: cluster.id,
      clusterRole: "server",
      state: "PENDING",
    });
    expect(await db.prisma.job.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({
      kind: "cluster.provision",
      clusterId: cluster.id,
      payload: { clusterId: cluster.id },
    });
    expect(await db.prisma.job.count({ where: { vmId, kind: "vm.provision" } })).toBe(1);
    expect(await db.prisma.auditEvent.count({ where: { action: "cluster.order", targetId: cluster.id } })).toBe(1);
    const dup = await refusal(orderCluster({ ...ctx(), input: order() }));
    expect(dup).toMatchObject({ code: "CONFLICT", message: 'Your team already has a cluster named "c1". Pick another name.' });
    expect(await db.prisma.virtualMachine.count({ where: { teamId: tenant.team.id } })).toBe(1);
  });

  it("shows the cluster without its kubeconfig, and hands the kubeconfig out only when ready, audited", async () => {
    const [c] = (await listClusters({ ...ctx(), page: { limit: 50 } })).items;
    const view = await getCluster({ ...ctx(), clusterId: c!.id });
    expect(view).toMatchObject({ name: "c1", kubeconfigReady: false, nodes: [{ name: "c1-server", clusterRole: "server" }] });
    expect(JSON.stringify(view)).not.toMatch(/kubeconfigEnc/);
    expect((await refusal(downloadKubeconfig({ ...ctx(), clusterId: c!.id }))).message).toBe(
      "Cluster c1 is provisioning: its kubeconfig is available once it is ready.",
    );
    await db.prisma.cluster.update({ where: { id: c!.id }, data: { state: "READY", kubeconfigEnc: encryptSecret(KUBECONFIG) } });
    await recordPortalHeldData({
      prisma: db.prisma,
      teamId: tenant.team.id,
      resourceKind: "KUBECONFIG",
      resourceId: c!.id,
      resourceName: "kubeconfig of c1",
    });
    expect(await downloadKubeconfig({ ...ctx(), clusterId: c!.id })).toEqual({ name: "c1", kubeconfig: KUBECONFIG });
    expect(await db.prisma.auditEvent.count({ where: { action: "cluster.kubeconfig.download", targetId: c!.id } })).toBe(1);
    const viewer = await db.prisma.membership.findFirstOrThrow({
      where: { teamId: tenant.team.id, role: "VIEWER" },
      include: { user: true },
    });
    const viewerPrincipal = { ...tenant.principal, userId: viewer.userId, email: viewer.user.email };
    expect((await refusal(downloadKubeconfig({ ...ctx(), principal: viewerPrincipal, clusterId: c!.id }))).code).toBe("FORBIDDEN");
    expect((await refusal(getCluster({ ...ctx(), clusterId: "00000000-0000-4000-8000-000000000000" }))).code).toBe("NOT_FOUND");
  });

  it("cluster.provision ends the cluster FAILED with the node's reason when the node failed", async () => {
    const { cluster, vmId } = await orderCluster({ ...ctx(), input: order({ name: "c2" }) });
    const wait = provisionClusterJob.steps[0]!;
    const stepCtx = {
      prisma: db.prisma,
      payload: { clusterId: cluster.id },
      outputs: {},
      job: { id: "j", kind: "cluster.provision", attempt: 1, maxAttempts: 90 },
      signal: new AbortController().signal,
      log: () => {},
    };
    await expect(Promise.resolve(wait.run(stepCtx))).rejects.toThrow("waiting for server node c2-server (pending)");
    expect(await db.prisma.cluster.findUniqueOrThrow({ where: { id: cluster.id } })).toMatchObject({
      state: "PROVISIONING",
      lastError: null,
    });
    await db.prisma.virtualMachine.update({ where: { id: vmId }, data: { state: "FAILED", lastError: "no SSH answer within 420 s" } });
    await expect(Promise.resolve(wait.run(stepCtx))).rejects.toThrow("The server node c2-server is failed: no SSH answer within 420 s");
    expect(await db.prisma.cluster.findUniqueOrThrow({ where: { id: cluster.id } })).toMatchObject({
      state: "FAILED",
      lastError: "The server node c2-server is failed: no SSH answer within 420 s",
    });
  });

  it("orders a cluster with agents: every node a VM with its role, the count on the cluster, one job", async () => {
    const { cluster, vmId, agentVmIds, jobId } = await orderCluster({ ...ctx(), input: order({ name: "c3", agentCount: 2 }) });
    expect(cluster).toMatchObject({ name: "c3", state: "PROVISIONING", agentCount: 2 });
    const nodes = await db.prisma.virtualMachine.findMany({ where: { clusterId: cluster.id }, orderBy: { name: "asc" } });
    expect(nodes.map((n) => [n.name, n.clusterRole, n.state])).toEqual([
      ["c3-agent-1", "agent", "PENDING"],
      ["c3-agent-2", "agent", "PENDING"],
      ["c3-server", "server", "PENDING"],
    ]);
    expect(nodes.find((n) => n.clusterRole === "server")!.id).toBe(vmId);
    expect(agentVmIds.sort()).toEqual(
      nodes
        .filter((n) => n.clusterRole === "agent")
        .map((n) => n.id)
        .sort(),
    );
    expect(await db.prisma.job.count({ where: { vmId: { in: nodes.map((n) => n.id) }, kind: "vm.provision" } })).toBe(3);
    expect(await db.prisma.job.count({ where: { clusterId: cluster.id, kind: "cluster.provision" } })).toBe(1);
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id: jobId } })).kind).toBe("cluster.provision");
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "cluster.order", targetId: cluster.id } });
    expect(audit.details).toMatchObject({ serverVmId: vmId, agentVmIds: expect.arrayContaining(agentVmIds) });
    for (const agentCount of [-1, 4, 1.5, "2"])
      expect((await refusal(orderCluster({ ...ctx(), input: order({ name: "c9", agentCount }) }))).code).toBe("VALIDATION");
  });

  it("records the networks the tenant opened the API to, audited, and refuses the whole internet before ordering anything", async () => {
    const vmsBefore = await db.prisma.virtualMachine.count();
    for (const apiAllowFrom of [["0.0.0.0/0"], ["::/0"], ["10.0.0.0/33"], ["office"]]) {
      const err = await refusal(orderCluster({ ...ctx(), input: order({ name: "c8", apiAllowFrom }) }));
      expect(err.code).toBe("VALIDATION");
      expect(err.message).toMatch(/apiAllowFrom/);
    }
    expect(await db.prisma.virtualMachine.count()).toBe(vmsBefore);
    const { cluster } = await orderCluster({
      ...ctx(),
      input: order({ name: "c7", apiAllowFrom: ["203.0.113.0/24", "2001:db8::/48", "203.0.113.0/24"] }),
    });
    expect((await db.prisma.cluster.findUniqueOrThrow({ where: { id: cluster.id } })).apiAllowFrom).toEqual([
      "203.0.113.0/24",
      "2001:db8::/48",
    ]);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "cluster.order", targetId: cluster.id } });
    expect(audit.details).toMatchObject({ apiAllowFrom: ["203.0.113.0/24", "2001:db8::/48"] });
    expect((await getCluster({ ...ctx(), clusterId: cluster.id })).apiAllowFrom).toEqual(["203.0.113.0/24", "2001:db8::/48"]);
  });

  it("refuses a cluster whose nodes do not all fit the quota: clear error, the placed nodes deleted, no cluster", async () => {
    const small = await makeTenant(db.prisma, { maxVms: 2 });
    const sctx = { prisma: db.prisma, principal: small.principal, teamSlug: small.team.slug };
    const input = { name: "big", regionCode: "osl1", planCode: "nano", imageSlug: "debian-12", sshKeyId: small.sshKey.id, agentCount: 2 };
    const err = await refusal(orderCluster({ ...sctx, input }));
    expect(err).toMatchObject({
      code: "QUOTA_EXCEEDED",
      message:
        "Cluster big needs 3 nodes (1 server, 2 agents); node big-agent-2 was refused: Your team's quota allows 2 VMs; 2 are in use. Nothing was ordered.",
    });
    expect(await db.prisma.cluster.count({ where: { teamId: small.team.id } })).toBe(0);
    const placed = await db.prisma.virtualMachine.findMany({ where: { teamId: small.team.id } });
    expect(placed.map((v) => v.name).sort()).toEqual(["big-agent-1", "big-server"]);
    expect(placed.every((v) => v.clusterId === null)).toBe(true);
    const provisions = await db.prisma.job.findMany({ where: { vmId: { in: placed.map((v) => v.id) }, kind: "vm.provision" } });
    expect(provisions.map((j) => j.state)).toEqual(["CANCELLED", "CANCELLED"]);
    const deletes = await db.prisma.job.findMany({ where: { vmId: { in: placed.map((v) => v.id) }, kind: "vm.delete" } });
    expect(deletes).toHaveLength(2);
    await runDeletes(deletes.map((j) => j.id));
    expect((await db.prisma.virtualMachine.findMany({ where: { teamId: small.team.id } })).map((v) => v.state)).toEqual([
      "DELETED",
      "DELETED",
    ]);
    // The quota is free again: a cluster that fits is accepted.
    const ok = await orderCluster({ ...sctx, input: { ...input, name: "fits", agentCount: 1 } });
    expect(ok.agentVmIds).toHaveLength(1);
  }, 180_000);

  /** A ready, a failed and a provisioning cluster (no nodes) in the tenant's team, and a new viewer of that team. */
  async function clustersInEachState(prefix: string) {
    const region = await db.prisma.region.findUniqueOrThrow({ where: { code: "osl1" } });
    const make = (state: "READY" | "FAILED" | "PROVISIONING", suffix: string) =>
      db.prisma.cluster.create({
        data: { teamId: tenant.team.id, name: `${prefix}-${suffix}`, regionId: region.id, k3sVersion: "v1.31.4+k3s1", state },
      });
    const [ready, failed, busy] = [await make("READY", "ready"), await make("FAILED", "failed"), await make("PROVISIONING", "busy")];
    const { user, principal } = await makeUser(db.prisma);
    await db.prisma.membership.create({ data: { userId: user.id, teamId: tenant.team.id, role: "VIEWER" } });
    return { ready, failed, busy, viewerPrincipal: principal };
  }

  it("re-runs checks only on a ready cluster and retries only a failed one; a viewer may check but not retry", async () => {
    const { ready, failed, busy, viewerPrincipal: principal } = await clustersInEachState("chk");
    const viewer = { ...ctx(), principal };

    const { jobId } = await verifyClusterNow({ ...viewer, clusterId: ready.id });
    expect(await db.prisma.job.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({
      kind: "cluster.verify",
      clusterId: ready.id,
      state: "QUEUED",
    });
    expect(await verifyClusterNow({ ...ctx(), clusterId: ready.id })).toEqual({ jobId }); // one waiting run, not two
    expect(await refusal(verifyClusterNow({ ...ctx(), clusterId: busy.id }))).toMatchObject({
      code: "CONFLICT",
      message: "chk-busy is provisioning: only a ready cluster can be checked.",
    });

    expect((await refusal(retryCluster({ ...viewer, clusterId: failed.id }))).code).toBe("FORBIDDEN");
    expect(await refusal(retryCluster({ ...ctx(), clusterId: ready.id }))).toMatchObject({
      code: "CONFLICT",
      message: "chk-ready is ready: only a failed cluster can be retried.",
    });
    const retried = await retryCluster({ ...ctx(), clusterId: failed.id });
    expect(await db.prisma.job.findUniqueOrThrow({ where: { id: retried.jobId } })).toMatchObject({
      kind: "cluster.provision",
      clusterId: failed.id,
    });
    expect(
      await db.prisma.auditEvent.findMany({
        where: { targetId: { in: [ready.id, failed.id] } },
        select: { action: true },
        orderBy: { at: "asc" },
      }),
    ).toEqual([{ action: "cluster.verify" }, { action: "cluster.retry" }]);

    const other = await makeTenant(db.prisma);
    expect((await refusal(verifyClusterNow({ ...ctx(), principal: other.principal, clusterId: ready.id }))).code).toBe("NOT_FOUND");
    expect((await refusal(verifyClusterNow({ ...ctx(), clusterId: "nope" }))).code).toBe("NOT_FOUND");
    await db.prisma.job.deleteMany({ where: { clusterId: { in: [ready.id, failed.id] } } });
    await db.prisma.cluster.deleteMany({ where: { id: { in: [ready.id, failed.id, busy.id] } } });
  });

  it("changes the API's networks on a ready cluster by re-applying it, audited; refuses the internet, a viewer, a busy cluster, an outsider", async () => {
    const { ready, failed, busy, viewerPrincipal: principal } = await clustersInEachState("api");
    const networks = async (id: string) => (await db.prisma.cluster.findUniqueOrThrow({ where: { id } })).apiAllowFrom;
    const provisionJobs = (id: string) => db.prisma.job.count({ where: { clusterId: id, kind: "cluster.provision" } });

    const set = await setClusterApiAccess({
      ...ctx(),
      clusterId: ready.id,
      input: { apiAllowFrom: ["192.0.2.0/24", "2001:db8::/48", "192.0.2.0/24"] },
    });
    expect(set).toMatchObject({ apiAllowFrom: ["192.0.2.0/24", "2001:db8::/48"], changed: true, jobId: expect.any(String) });
    expect(await db.prisma.job.findUniqueOrThrow({ where: { id: set.jobId! } })).toMatchObject({
      kind: "cluster.provision",
      clusterId: ready.id,
      state: "QUEUED",
    });
    expect(await networks(ready.id)).toEqual(["192.0.2.0/24", "2001:db8::/48"]);
    // A second change while that run still waits joins it; the same list again changes nothing.
    expect((await setClusterApiAccess({ ...ctx(), clusterId: ready.id, input: { apiAllowFrom: ["192.0.2.0/24"] } })).jobId).toBe(set.jobId);
    expect(await setClusterApiAccess({ ...ctx(), clusterId: ready.id, input: { apiAllowFrom: ["192.0.2.0/24"] } })).toEqual({
      apiAllowFrom: ["192.0.2.0/24"],
      changed: false,
      jobId: null,
    });
    expect(await provisionJobs(ready.id)).toBe(1);
    const audits = await db.prisma.auditEvent.findMany({
      where: { action: "cluster.api-access", targetId: ready.id },
      orderBy: { id: "asc" },
    });
    expect(audits.map((a) => a.details)).toEqual([
      expect.objectContaining({ from: [], to: ["192.0.2.0/24", "2001:db8::/48"], jobId: set.jobId }),
      expect.objectContaining({ from: ["192.0.2.0/24", "2001:db8::/48"], to: ["192.0.2.0/24"], jobId: set.jobId }),
    ]);

    // A failed cluster takes the list for its retry; nothing runs now.
    expect(await setClusterApiAccess({ ...ctx(), clusterId: failed.id, input: { apiAllowFrom: ["198.51.100.0/24"] } })).toEqual({
      apiAllowFrom: ["198.51.100.0/24"],
      changed: true,
      jobId: null,
    });
    expect(await provisionJobs(failed.id)).toBe(0);

    for (const apiAllowFrom of [["0.0.0.0/0"], ["::/0"], ["10.0.0.0/33"], ["x; reboot"], "192.0.2.0/24"]) {
      expect((await refusal(setClusterApiAccess({ ...ctx(), clusterId: ready.id, input: { apiAllowFrom } }))).code).toBe("VALIDATION");
    }
    expect((await refusal(setClusterApiAccess({ ...ctx(), clusterId: ready.id, input: { apiAllowFrom: [], extra: 1 } }))).code).toBe(
      "VALIDATION",
    );
    expect((await refusal(setClusterApiAccess({ ...ctx(), principal, clusterId: ready.id, input: { apiAllowFrom: [] } }))).code).toBe(
      "FORBIDDEN",
    );
    expect(await refusal(setClusterApiAccess({ ...ctx(), clusterId: busy.id, input: { apiAllowFrom: [] } }))).toMatchObject({
      code: "CONFLICT",
      message: "api-busy is provisioning: the API's networks can be changed once it is ready (or has failed).",
    });
    const other = await makeTenant(db.prisma);
    expect(
      (await refusal(setClusterApiAccess({ ...ctx(), principal: other.principal, clusterId: ready.id, input: { apiAllowFrom: [] } }))).code,
    ).toBe("NOT_FOUND");
    expect(await networks(ready.id)).toEqual(["192.0.2.0/24"]);
    await db.prisma.job.deleteMany({ where: { clusterId: { in: [ready.id, failed.id, busy.id] } } });
    await db.prisma.cluster.deleteMany({ where: { id: { in: [ready.id, failed.id, busy.id] } } });
  });

  it("deletes a cluster: node deletion jobs, kubeconfig erased, residency entry closed, audited", async () => {
    const c = (await listClusters({ ...ctx(), page: { limit: 50 } })).items.find((x) => x.name === "c1")!;
    const { jobIds } = await deleteCluster({ ...ctx(), clusterId: c.id });
    expect(jobIds).toHaveLength(1);
    expect(await db.prisma.job.findUniqueOrThrow({ where: { id: jobIds[0]! } })).toMatchObject({ kind: "vm.delete" });
    expect(await db.prisma.cluster.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ state: "DELETED", kubeconfigEnc: null });
    const ledger = await db.prisma.dataLocation.findMany({ where: { resourceId: c.id }, orderBy: { seq: "asc" } });
    expect(ledger.map((l) => [l.resourceKind, l.action])).toEqual([
      ["KUBECONFIG", "OPEN"],
      ["KUBECONFIG", "CLOSE"],
    ]);
    expect(await db.prisma.auditEvent.count({ where: { action: "cluster.delete", targetId: c.id } })).toBe(1);
    expect((await refusal(deleteCluster({ ...ctx(), clusterId: c.id }))).message).toBe("c1 is already deleted.");
  });

  it("deletes a cluster with agents: every node is deleted and nothing of theirs is left on the host", async () => {
    const c = (await listClusters({ ...ctx(), page: { limit: 50 } })).items.find((x) => x.name === "c3")!;
    const nodes = await db.prisma.virtualMachine.findMany({ where: { clusterId: c.id } });
    expect(nodes).toHaveLength(3);
    const { jobIds } = await deleteCluster({ ...ctx(), clusterId: c.id });
    expect(jobIds).toHaveLength(3);
    const jobs = await db.prisma.job.findMany({ where: { id: { in: jobIds } } });
    expect(jobs.map((j) => [j.kind, j.vmId]).sort()).toEqual(nodes.map((n) => ["vm.delete", n.id]).sort());
    await runDeletes(jobIds);
    const after = await db.prisma.virtualMachine.findMany({ where: { clusterId: c.id } });
    expect(after.map((n) => n.state)).toEqual(["DELETED", "DELETED", "DELETED"]);
    const pool = sharedSshPool();
    const domains = (await listDomains({ pool, target: lab.target })).map((d) => d.name);
    const volumes = (await listVolumes({ pool, target: lab.target, storagePool: lab.pool })).map((v) => v.name);
    for (const n of nodes) {
      expect(domains).not.toContain(n.domainName);
      expect(volumes.filter((v) => v.startsWith(n.domainName))).toEqual([]);
    }
    expect(await findOrphans(db, lab)).toEqual([]);
  }, 180_000);
});
