import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retryCluster } from "@/lib/clusters/provision/retry-cluster";
import { verifyClusterNow } from "@/lib/clusters/verify/verify-cluster-now";
import { deleteCluster } from "@/lib/clusters/delete/delete-cluster";
import { orderCluster } from "@/lib/clusters/order/order-cluster";
import { createGuestShell } from "@/lib/ssh/guest-shell";
import { decryptSecret } from "@/lib/core/secrets";
import type { Database } from "@/lib/db/connect";
import { guestTargetThrough } from "@/lib/vms/shared/guest-target";
import { hostContext, sharedSshPool } from "@/lib/hosts/host-target";
import type { JobSnapshot } from "@/lib/jobs/watch";
import { listDomains } from "@/lib/libvirt/domains";
import { listVolumes } from "@/lib/libvirt/volumes";
import { PORTAL_LOCATION_SETTING } from "@/lib/residency/settings";
import { addSigningKey } from "@/lib/teams/signing-keys";
import { makeFakeK3sArtifacts } from "@/tests/helpers/fake-k3s-artifacts";
import { workerFleet } from "@/tests/helpers/provision-processes";
import { findOrphans, makeTenant, openLabDatabase, removeLeftoverVms, waitForJob } from "@/tests/helpers/provision-lab";

// A k3s cluster with one server and one agent, ordered through orderCluster and provisioned end to
// end by REAL worker processes on the real lab host: both guests really boot (TCG), are hardened,
// get their firewall re-applied with the cluster's node addresses, the server gets hardened k3s and
// the agent joins it with the server's token. The k3s binary and install.sh are the TEST-ONLY
// stand-ins from tests/helpers/fake-k3s-guest (no real k3s exists here), served to the product as an
// ordinary air-gap artifacts folder (SKJOLD_K3S_ARTIFACTS_DIR); everything else is the product.
//
// One database kind only (PostgreSQL): worker processes need a database they can all reach by URL,
// which the in-memory PGlite cannot be, and a second kind would double the guest boots for CI.
// Slow (two TCG boots, several minutes): run this file alone when iterating.

const VERSION = "v1.31.4+k3s1";
const K3S_PORTS = ["6443", "10250", "8472"];
const TENANT_NET = "198.51.100.0/24"; // the tenant's office, opened to the API on the server only
const step = (s: JobSnapshot, key: string) => s.steps.find((x) => x.key === key)!;

/** `ip saddr …` sources of each accept rule in the skjold input chain that names `dport <port>`. */
function sourcesFor(ruleset: string, port: string): { rules: string[]; sources: string[] } {
  const input = ruleset.slice(ruleset.indexOf("chain input"), ruleset.indexOf("chain forward"));
  const rules = input
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => new RegExp(`dport ${port}\\b.*accept`).test(l));
  const sources = rules.flatMap((l) => {
    const m = /ip6? saddr (\{[^}]*\}|\S+)/.exec(l);
    return m
      ? m[1]!
          .replace(/[{}]/g, "")
          .split(",")
          .map((a) => a.trim().replace(/\/(32|128)$/, ""))
      : ["<any>"];
  });
  return { rules, sources: [...new Set(sources)].sort() };
}

describe("a k3s cluster with an agent, provisioned by worker processes on the lab host", () => {
  let lab: Awaited<ReturnType<typeof openLabDatabase>>;
  let db: Database;
  let env: Awaited<ReturnType<typeof openLabDatabase>>["env"];
  let tenant: Awaited<ReturnType<typeof makeTenant>>;
  const good = makeFakeK3sArtifacts({ version: VERSION });
  const incomplete = makeFakeK3sArtifacts({ version: VERSION, withImages: false });
  const fleet = workerFleet({ url: () => lab.url, prefix: "cluster", env: { JOBS_TEST_CONCURRENCY: "3" } });
  const workers = fleet.workers;
  const spawnWorker = (artifactsDir: string) => fleet.spawn({ SKJOLD_K3S_ARTIFACTS_DIR: artifactsDir });
  const kill = fleet.kill;
  let clusterId = "";
  const ctx = () => ({ prisma: db.prisma, principal: tenant.principal, teamSlug: tenant.team.slug });
  /** A root shell on a node, as Skjold reaches it (management key, pinned guest host key, host as jump). */
  const nodeShell = async (name: string) => {
    const vm = await db.prisma.virtualMachine.findFirstOrThrow({ where: { clusterId, name }, include: { host: true } });
    const h = hostContext(vm.host!, sharedSshPool());
    const shell = createGuestShell({
      pool: h.pool,
      target: guestTargetThrough({ vm, host: vm.host!, via: h.target }),
      privilege: "sudo",
      step: `test on ${name}`,
    });
    return async (cmd: string) => {
      const r = await shell.exec(cmd);
      if (r.code !== 0) throw new Error(`${name}: ${cmd} failed (${r.code}): ${r.stderr}`);
      return r.stdout.trim();
    };
  };

  beforeAll(async () => {
    lab = await openLabDatabase();
    ({ db, env } = lab);
    await db.prisma.setting.create({ data: { key: PORTAL_LOCATION_SETTING, value: { regionCode: "osl1" } } });
    tenant = await makeTenant(db.prisma);
  });

  afterAll(async () => {
    await fleet.killAll();
    await removeLeftoverVms(db, env?.lab.pool ?? "");
    await lab?.close();
    good.remove();
    incomplete.remove();
  }, 120_000);

  it("ends FAILED naming the missing air-gap file once both nodes are up, and leaves the nodes running", async () => {
    const { cluster, vmId, agentVmIds, jobId } = await orderCluster({
      ...ctx(),
      input: {
        name: "k1",
        regionCode: "osl1",
        planCode: "nano",
        imageSlug: "debian-12",
        sshKeyId: tenant.sshKey.id,
        agentCount: 1,
        apiAllowFrom: [TENANT_NET],
      },
    });
    clusterId = cluster.id;
    expect(agentVmIds).toHaveLength(1);
    const first = await spawnWorker(incomplete.dir);
    const end = await waitForJob(db, jobId, () => false, 1_500_000);
    await kill(first);
    // A permanent failure: the engine ends the job ROLLED_BACK (this job has nothing to undo).
    expect(end.state, `${end.lastError}\n${first.stderr()}`).toBe("ROLLED_BACK");
    expect(end.steps.map((s) => [s.key, s.state])).toEqual([
      ["wait-node", "COMPENSATED"],
      ["firewall", "COMPENSATED"],
      ["k3s-server", "FAILED"],
      ["k3s-agents", "PENDING"],
      ["ready", "PENDING"],
    ]);
    const row = await db.prisma.cluster.findUniqueOrThrow({ where: { id: cluster.id } });
    expect(row.state).toBe("FAILED");
    expect(row.lastError).toBe(
      `k3s air-gap artifact missing: k3s-airgap-images-amd64.tar.zst in ${incomplete.dir}. Place the files of k3s release ${VERSION} there: k3s, k3s-airgap-images-amd64.tar.zst (or .tar.gz), sha256sum-amd64.txt, and install.sh from the same tag.`,
    );
    expect(row.kubeconfigEnc).toBeNull();
    // The product's rule: a failed cluster keeps its nodes (RUNNING, billed) until the tenant deletes it.
    const nodes = await db.prisma.virtualMachine.findMany({ where: { id: { in: [vmId, ...agentVmIds] } } });
    expect(nodes.map((v) => v.state)).toEqual(["RUNNING", "RUNNING"]);
  }, 1_800_000);

  it("provisioned again with the artifacts in place, through a worker killed mid-job, ends READY", async () => {
    // The tenant's "Retry provisioning" (the first job has ended): the same job, enqueued once more.
    const { jobId } = await retryCluster({ ...ctx(), clusterId });
    expect(await retryCluster({ ...ctx(), clusterId })).toEqual({ jobId }); // a second click while it waits: the same run
    const second = await spawnWorker(good.dir);
    await waitForJob(db, jobId, (s) => step(s, "k3s-server").state === "SUCCEEDED", 900_000);
    await kill(second);
    const third = await spawnWorker(good.dir);
    const end = await waitForJob(db, jobId, () => false, 900_000);
    expect(end.state, `${end.lastError}\n${third.stderr()}`).toBe("SUCCEEDED");
    expect(end.steps.map((s) => [s.key, s.state])).toEqual([
      ["wait-node", "SUCCEEDED"],
      ["firewall", "SUCCEEDED"],
      ["k3s-server", "SUCCEEDED"],
      ["k3s-agents", "SUCCEEDED"],
      ["ready", "SUCCEEDED"],
    ]);
    expect(step(end, "k3s-server").attempts).toBe(1);

    const cluster = await db.prisma.cluster.findUniqueOrThrow({ where: { id: clusterId } });
    expect(cluster).toMatchObject({ state: "READY", lastError: null, agentCount: 1, apiEndpoint: "https://k1-server:6443" });
    expect(cluster.kubeconfigEnc).not.toMatch(/apiVersion|client-key-data/);
    expect(decryptSecret(cluster.kubeconfigEnc!)).toContain("server: https://k1-server:6443");
    const k3sReports = await db.prisma.hardeningReport.findMany({ where: { clusterId, scope: "k3s" } });
    expect(k3sReports.map((r) => r.failed)).toEqual([0]);
    // The agent's controls sit in the cluster's k3s report, read from the agent guest.
    const agentControls = (k3sReports[0]!.controls as { id: string; status: string }[]).filter((c) => c.id.startsWith("k3s.agent."));
    expect(agentControls.map((c) => [c.id, c.status])).toEqual(
      ["running", "server", "config", "file-modes"].map((w) => [`k3s.agent.${w}[k1-agent-1]`, "pass"]),
    );
    // Each node: its newest guest report (after the firewall re-apply) passes every control, fw.k3s-ports included.
    for (const name of ["k1-server", "k1-agent-1"]) {
      const vm = await db.prisma.virtualMachine.findFirstOrThrow({ where: { clusterId, name } });
      const latest = await db.prisma.hardeningReport.findFirstOrThrow({
        where: { vmId: vm.id, scope: "guest" },
        orderBy: { createdAt: "desc" },
      });
      const controls = latest.controls as { id: string; status: string; evidence: string }[];
      expect(controls.filter((c) => c.status === "fail").map((c) => `${c.id}: ${c.evidence}`)).toEqual([]);
      expect(controls.find((c) => c.id === "fw.k3s-ports")?.status).toBe("pass");
    }
    expect(await db.prisma.dataLocation.count({ where: { resourceId: clusterId, resourceKind: "KUBECONFIG" } })).toBe(1);
  }, 1_800_000);

  it("joined the agent with the server's URL and token, and the token is nowhere but on the two guests", async () => {
    const server = await nodeShell("k1-server");
    const agent = await nodeShell("k1-agent-1");
    const token = await server("sudo -n cat /var/lib/rancher/k3s/server/node-token");
    expect(token).toMatch(/^K10[0-9a-f]{64}::server:[0-9a-f]{32}$/);
    expect(await server("sudo -n stat -c '%a %U' /var/lib/rancher/k3s/server/node-token")).toBe("600 root");
    const serverAddress = await server("ip -4 -o route get 1.1.1.1 | sed -n 's/.* src \\([0-9.]*\\).*/\\1/p'");
    // What the installer stand-in recorded on the agent: the agent role, the server URL and the token.
    expect((await agent("sudo -n cat /var/log/fake-k3s-install.env")).split("\n")).toEqual([
      "INSTALL_K3S_EXEC=agent",
      "INSTALL_K3S_SKIP_DOWNLOAD=true",
      `INSTALL_K3S_VERSION=${VERSION}`,
      `K3S_URL=https://${serverAddress}:6443`,
    ]);
    expect((await agent("sudo -n cat /etc/systemd/system/k3s-agent.service.env")).split("\n")).toEqual([
      `K3S_URL=https://${serverAddress}:6443`,
      `K3S_TOKEN=${token}`,
    ]);
    expect(await agent("sudo -n stat -c '%a %U' /etc/systemd/system/k3s-agent.service.env")).toBe("600 root");
    expect(await agent("systemctl is-active k3s-agent.service")).toBe("active");
    expect(await agent("sudo -n cat /etc/rancher/k3s/config.yaml")).toContain("node-name: k1-agent-1");
    // Every process's command line while the agent's installer ran: the token was in none of them.
    const ps = await agent("sudo -n cat /var/log/fake-k3s-install.ps");
    expect(ps).toContain("install.sh");
    expect(ps).not.toContain(token);
    expect(ps).not.toContain(token.split("::server:")[1]);

    // Not in any row of any table (job steps and outputs, job errors, events, audit, reports …).
    const tables = await db.prisma.$queryRawUnsafe<{ table_name: string }[]>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(["Job", "JobStep", "VmEvent", "AuditEvent", "HardeningReport", "Cluster"]),
    );
    for (const { table_name } of tables) {
      const [row] = await db.prisma.$queryRawUnsafe<{ dump: string | null }[]>(
        `SELECT string_agg(t::text, E'\\n') AS dump FROM "${table_name.replaceAll('"', "")}" t`,
      );
      expect(row?.dump ?? "", `table ${table_name}`).not.toContain(token.split("::server:")[1]);
    }
    // Nor in anything the workers logged.
    for (const w of workers) expect(w.stderr() + w.stdout()).not.toContain(token.split("::server:")[1]);
  }, 300_000);

  it("opens 6443, 10250 and 8472 on each node only to the cluster's node addresses, and the server's API also to the tenant's network", async () => {
    const shells = { server: await nodeShell("k1-server"), agent: await nodeShell("k1-agent-1") };
    const addresses = [
      ...new Set(
        await Promise.all(Object.values(shells).map((s) => s("ip -4 -o route get 1.1.1.1 | sed -n 's/.* src \\([0-9.]*\\).*/\\1/p'"))),
      ),
    ].sort();
    expect(addresses.length).toBeGreaterThan(0);
    for (const [role, run] of Object.entries(shells)) {
      const ruleset = await run("sudo -n nft list table inet skjold");
      expect(ruleset).toMatch(/hook input priority filter; policy drop;/);
      for (const port of K3S_PORTS) {
        const { rules, sources } = sourcesFor(ruleset, port);
        if (port === "6443" && role === "agent") {
          expect(rules, `${role} ${port}`).toEqual([]); // agents serve no API
          continue;
        }
        expect(rules.length, `${role} ${port}: ${ruleset}`).toBeGreaterThan(0);
        expect(sources, `${role} ${port}`).toEqual(port === "6443" ? [...addresses, TENANT_NET].sort() : addresses);
      }
    }
  }, 120_000);

  it("re-runs the checks on demand: a removed admission policy is drift; a registered signing key puts it back, with the key", async () => {
    const server = await nodeShell("k1-server");
    const latestK3s = () =>
      db.prisma.hardeningReport.findFirstOrThrow({ where: { clusterId, scope: "k3s" }, orderBy: { createdAt: "desc" } });
    const gateOf = async () =>
      ((await latestK3s()).controls as { id: string; status: string; evidence: string }[]).find((c) => c.id === "k3s.image-admission");
    expect(await gateOf()).toMatchObject({
      status: "pass",
      evidence: expect.stringContaining("no signing key registered, every tenant pod is refused"),
    });
    await server("sudo -n rm /var/lib/rancher/k3s/server/manifests/skjold-image-admission.yaml");
    const worker = await spawnWorker(good.dir);
    try {
      const { jobId } = await verifyClusterNow({ ...ctx(), clusterId });
      const checked = await waitForJob(db, jobId, () => false, 300_000);
      expect(checked.state, checked.lastError ?? "").toBe("SUCCEEDED");
      expect(checked.steps.map((x) => x.key)).toEqual(["k3s", "nodes"]);
      expect((await latestK3s()).driftFrom).toBe("k3s.image-admission");
      expect(await gateOf()).toMatchObject({ status: "fail", evidence: "Kyverno is not installed" });

      // The team's owner registers its cosign key: the ready cluster is converged again, policy and key included.
      await db.prisma.membership.updateMany({ where: { teamId: tenant.team.id, userId: tenant.user.id }, data: { role: "OWNER" } });
      const pem = String(generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ type: "spki", format: "pem" }));
      const key = await addSigningKey({ ...ctx(), input: { name: "ci", publicKey: pem } });
      expect(key.clustersUpdated).toBe(1);
      const rerun = await db.prisma.job.findFirstOrThrow({
        where: { clusterId, kind: "cluster.provision", state: { in: ["QUEUED", "RUNNING"] } },
      });
      const end = await waitForJob(db, rerun.id, () => false, 900_000);
      expect(end.state, `${end.lastError}\n${worker.stderr()}`).toBe("SUCCEEDED");
      expect(await server("sudo -n cat /var/lib/rancher/k3s/server/manifests/skjold-image-admission.yaml")).toContain(
        key.publicKey.split("\n")[1]!,
      );
      expect(await gateOf()).toMatchObject({ status: "pass", evidence: expect.stringContaining("(1 signing key)") });
      expect(await db.prisma.cluster.findUniqueOrThrow({ where: { id: clusterId } })).toMatchObject({ state: "READY", lastError: null });
    } finally {
      await kill(worker);
    }
  }, 1_200_000);

  it("deletes the cluster: both nodes gone from the host, no domain, no volume", async () => {
    const nodes = await db.prisma.virtualMachine.findMany({ where: { clusterId } });
    expect(nodes.map((v) => v.clusterRole).sort()).toEqual(["agent", "server"]);
    const { jobIds } = await deleteCluster({ ...ctx(), clusterId });
    expect(jobIds).toHaveLength(2);
    for (const id of jobIds) expect((await waitForJob(db, id, () => false, 300_000)).state).toBe("SUCCEEDED");
    expect((await db.prisma.virtualMachine.findMany({ where: { clusterId } })).map((v) => v.state)).toEqual(["DELETED", "DELETED"]);
    expect(await db.prisma.cluster.findUniqueOrThrow({ where: { id: clusterId } })).toMatchObject({
      state: "DELETED",
      kubeconfigEnc: null,
    });
    const pool = sharedSshPool();
    const domains = (await listDomains({ pool, target: env.lab.target })).map((d) => d.name);
    const volumes = (await listVolumes({ pool, target: env.lab.target, storagePool: env.lab.pool })).map((v) => v.name);
    for (const vm of nodes) {
      expect(domains).not.toContain(vm.domainName);
      expect(volumes.filter((v) => v.startsWith(vm.domainName))).toEqual([]);
    }
    expect(await findOrphans(db, env.lab)).toEqual([]);
  }, 600_000);
});
