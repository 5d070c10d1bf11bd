import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en, nb, type MessageKey } from "@/app/_i18n/dictionaries";
import { encryptSecret } from "@/lib/core/secrets";
import { openDatabase, type Database } from "@/lib/db/connect";
import { generateKeyPair } from "@/lib/ssh/keygen";
import { PG_ADMIN_URL } from "@/tests/helpers/db";
import { launchBrowser } from "./harness/browser";
import { holdBuildLockShared, startPortal, stopProcesses, type ManagedProcess } from "./harness/processes";

// k3s clusters as a tenant meets them, in English and in Norwegian. The portal is this spec's own
// (a fresh PostgreSQL database, no worker, no host onboarded): nothing here can start a VM. The
// order form is driven up to the point where the portal refuses; the cluster page is shown for a
// cluster and its three nodes written straight into the database.

const runId = `clusters-${Date.now().toString(36)}`;
const slug = `fjell-${Date.now().toString(36)}`;
const SHOTS = "/tmp/skjold-e2e-clusters";
const admin = { email: "admin@clusters.e2e.skjold.test", password: "clusters-e2e-admin-password" };
const KUBECONFIG = "apiVersion: v1\nkind: Config\n# e2e kubeconfig of edge\n";

const adminSql = async (sql: string) => {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  await c.query(sql);
  await c.end();
};

/** The English text of the cluster pages that must not be left on them once the user reads Norwegian. */
function englishLeftovers(text: string): string[] {
  const shared: MessageKey[] = [
    "team.clusters",
    "common.name",
    "common.role",
    "common.created",
    "vm.state",
    "vm.address",
    "order.image",
    "order.sshKey",
    "order.noCapacity",
    "vm.hardening",
    "vm.control",
    "vm.evidence",
    "vm.reference",
  ];
  const keys = (Object.keys(en) as MessageKey[]).filter((k) => /^(cluster\.|clusterState\.|vmState\.)/.test(k)).concat(shared);
  return keys.filter((k) => en[k] !== nb[k] && !en[k].includes("{") && text.includes(en[k])).map((k) => `${k}: ${en[k]}`);
}

describe("k3s clusters", () => {
  const dbName = `skjold_e2e_clu_${randomBytes(5).toString("hex")}`;
  const dataDir = path.resolve(import.meta.dirname, `../.skjold/${runId}`);
  let lock: { release(): void } | undefined;
  let portal: ManagedProcess | undefined;
  let db: Database;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let clusterId = "";
  const nodeIds: Record<string, string> = {};

  const teamRows = async () => {
    const team = await db.prisma.team.findUniqueOrThrow({ where: { slug } });
    const [clusters, vms, jobs, audits] = await Promise.all([
      db.prisma.cluster.count({ where: { teamId: team.id } }),
      db.prisma.virtualMachine.count({ where: { teamId: team.id } }),
      db.prisma.job.count({ where: { teamId: team.id } }),
      db.prisma.auditEvent.count({ where: { teamId: team.id, action: { in: ["cluster.order", "vm.order"] } } }),
    ]);
    return { clusters, vms, jobs, audits };
  };
  const mainText = async () => (await page.locator("main").textContent()) ?? "";
  const nodeRows = () =>
    page
      .getByTestId("cluster-nodes")
      .locator("tbody tr")
      .evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.querySelector(".badge")?.textContent ?? td.textContent ?? "")),
      );

  beforeAll(async () => {
    process.env.SKJOLD_SECRET_KEY ??= randomBytes(32).toString("base64"); // the portal's too: the spec encrypts the seeded kubeconfig
    mkdirSync(SHOTS, { recursive: true });
    await adminSql(`CREATE DATABASE ${dbName}`);
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${dbName}`;
    lock = await holdBuildLockShared();
    // Migrates and seeds the empty database (regions, plans, images, the admin); no worker runs.
    portal = await startPortal({
      name: "portal",
      runId,
      databaseUrl: url.toString(),
      secretKey: process.env.SKJOLD_SECRET_KEY,
      adminEmail: admin.email,
      adminPassword: admin.password,
      dataDir,
    });
    db = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 2 });
    browser = await launchBrowser();
    context = await browser.newContext({ baseURL: portal.baseUrl, viewport: { width: 1280, height: 900 } });
    const call = async (method: string, p: string, data: unknown) =>
      (await context.request.fetch(p, { method, data, headers: { origin: portal!.baseUrl! } })).status();
    expect(await call("POST", "/api/v1/auth/session", admin)).toBe(200);
    expect(await call("POST", "/api/v1/teams", { name: "Fjelldata AS", slug })).toBe(201);
    expect(
      await call("POST", "/api/v1/account/keys", { name: "laptop", publicKey: generateKeyPair({ comment: "ola@laptop" }).publicKey }),
    ).toBe(201);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await stopProcesses([portal]);
    await db?.close();
    lock?.release();
    await adminSql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("offers Agent nodes (0–3, each a VM on the quota) and refuses a bad value in words, ordering nothing", async () => {
    await page.goto(`/teams/${slug}/clusters`);
    const form = page.getByTestId("order-cluster");
    const agents = form.getByLabel("Agent nodes");
    expect([
      await agents.getAttribute("type"),
      await agents.getAttribute("min"),
      await agents.getAttribute("max"),
      await agents.inputValue(),
    ]).toEqual(["number", "0", "3", "0"]);
    expect(await page.locator("#cluster-agents-hint").textContent()).toBe(
      "0–3. Each node is a VM of the chosen plan, counted against your team's quota like any other.",
    );
    expect(await agents.getAttribute("aria-describedby")).toBe("cluster-agents-hint");
    // No host anywhere: every region is offered but none can be chosen, and each says why.
    const oslo = form.locator('select[name="regionCode"] option[value="osl1"]');
    expect(await oslo.isDisabled()).toBe(true);
    expect(await oslo.textContent()).toBe("Oslo (NO, Norway · EEA, not EU) — No host with free capacity right now");
    expect(await page.getByTestId("cluster-no-region").textContent()).toBe(
      "No region can take a new cluster right now. Open the list to see why.",
    );

    // The browser refuses an out-of-range number itself…
    await form.getByLabel("Name").fill("web");
    await agents.fill("7");
    expect(await agents.evaluate((el: HTMLInputElement) => el.validity.rangeOverflow)).toBe(true);
    // …and the portal refuses it too when the browser does not check (old browser, edited page).
    await form.evaluate((f: HTMLFormElement) => (f.noValidate = true));
    for (const bad of ["7", "1.5"]) {
      await form.getByLabel("Name").fill("web");
      await agents.fill(bad);
      await form.getByRole("button", { name: "Order cluster" }).click();
      await expect.poll(() => page.locator("p.alert.error").textContent()).toBe("Agent nodes must be a whole number from 0 to 3.");
      await page.screenshot({ path: `${SHOTS}/order-refused-en.png`, fullPage: true });
      await page.reload();
      await form.evaluate((f: HTMLFormElement) => (f.noValidate = true));
    }
    expect(await teamRows()).toEqual({ clusters: 0, vms: 0, jobs: 0, audits: 0 });

    // The API's networks: the whole internet is refused in words, and what was typed stays.
    const api = form.getByLabel("Kubernetes API reachable from");
    expect(await api.getAttribute("aria-describedby")).toBe("cluster-api-hint");
    await form.getByLabel("Name").fill("web");
    await api.fill("203.0.113.0/24\n0.0.0.0/0");
    await form.getByRole("button", { name: "Order cluster" }).click();
    await expect
      .poll(() => page.locator("p.alert.error").textContent())
      .toBe(
        "“0.0.0.0/0” is not a network Skjold can open the API to: /0 would open the API to the whole internet; name your own networks.",
      );
    expect(await api.inputValue()).toBe("203.0.113.0/24\n0.0.0.0/0");
    expect(await teamRows()).toEqual({ clusters: 0, vms: 0, jobs: 0, audits: 0 });
    await page.reload();

    // A valid count reaches the order as a number: refused for capacity (no host), not for its type.
    await oslo.evaluate((o: HTMLOptionElement) => {
      o.disabled = false;
      o.selected = true;
    });
    await form.getByLabel("Name").fill("web");
    await agents.fill("2");
    await api.fill("203.0.113.0/24");
    await form.getByRole("button", { name: "Order cluster" }).click();
    await expect
      .poll(() => page.locator("p.alert.error").textContent())
      .toMatch(
        /^Cluster web needs 3 nodes \(1 server, 2 agents\); node web-server was refused: Oslo \(osl1\) has no hosts to place VMs on yet\. Nothing was ordered; try another region\.$/,
      );
    // A refused order keeps what was typed (React resets a form after its action).
    expect([await form.getByLabel("Name").inputValue(), await agents.inputValue()]).toEqual(["web", "2"]);
    expect(await teamRows()).toEqual({ clusters: 0, vms: 0, jobs: 0, audits: 0 });
  });

  it("shows a cluster's state and every node, server first, each linked to its VM with its state and address", async () => {
    const team = await db.prisma.team.findUniqueOrThrow({ where: { slug } });
    const [region, plan, image] = await Promise.all([
      db.prisma.region.findUniqueOrThrow({ where: { code: "osl1" } }),
      db.prisma.plan.findFirstOrThrow({ where: { code: "nano" } }),
      db.prisma.image.findFirstOrThrow({ where: { slug: "debian-12" } }),
    ]);
    const t0 = Date.now() - 60_000;
    const cluster = await db.prisma.cluster.create({
      data: {
        teamId: team.id,
        name: "edge",
        regionId: region.id,
        k3sVersion: "v1.31.4+k3s1",
        installMode: "AIRGAP",
        agentCount: 2,
        apiAllowFrom: ["203.0.113.0/24"],
        state: "READY",
        apiEndpoint: "https://10.0.2.15:6443",
        kubeconfigEnc: encryptSecret(KUBECONFIG),
        createdAt: new Date(t0),
        readyAt: new Date(t0 + 30_000),
      },
    });
    clusterId = cluster.id;
    // The agents are written before the server: the page must still list the server first.
    const nodes = [
      { name: "edge-agent-1", clusterRole: "agent", state: "RUNNING", sshPort: 22201 },
      { name: "edge-agent-2", clusterRole: "agent", state: "PROVISIONING", sshPort: null },
      { name: "edge-server", clusterRole: "server", state: "RUNNING", sshPort: 22200 },
    ] as const;
    for (const [i, n] of nodes.entries()) {
      const vm = await db.prisma.virtualMachine.create({
        data: {
          teamId: team.id,
          regionId: region.id,
          planId: plan.id,
          imageId: image.id,
          clusterId,
          name: n.name,
          clusterRole: n.clusterRole,
          state: n.state,
          vcpus: plan.vcpus,
          memoryMb: plan.memoryMb,
          diskGb: plan.diskGb,
          domainName: `skjold-${runId}-${n.name}`,
          sshHost: n.sshPort ? "127.0.0.1" : null,
          sshPort: n.sshPort,
          createdAt: new Date(t0 + i * 1000),
        },
      });
      nodeIds[n.name] = vm.id;
    }
    const controls = [
      {
        id: "k3s-1.2.1",
        title: "Pod Security admission enforces the baseline",
        status: "pass",
        evidence: "PodSecurity=restricted",
        references: ["k3s CIS 1.2.1"],
      },
      {
        id: "k3s-5.3.2",
        title: "Every tenant namespace has a default-deny NetworkPolicy",
        status: "fail",
        evidence: "apps: none",
        references: ["k3s CIS 5.3.2"],
      },
    ];
    await db.prisma.hardeningReport.create({ data: { clusterId, scope: "k3s", passed: 1, failed: 1, notApplicable: 0, controls } });

    await page.goto(`/teams/${slug}/clusters`);
    const row = page.getByTestId("cluster-list").locator('tr[data-cluster="edge"]');
    expect(await row.locator(".badge").textContent()).toBe("ready");
    await row.getByRole("link", { name: "edge" }).click();
    await page.waitForURL(`**/teams/${slug}/clusters/${clusterId}`);
    expect(await page.getByTestId("cluster-state").textContent()).toBe("ready");
    expect(await nodeRows()).toEqual([
      ["server", "edge-server", "running", "127.0.0.1:22200"],
      ["agent", "edge-agent-1", "running", "127.0.0.1:22201"],
      ["agent", "edge-agent-2", "provisioning", "–"],
    ]);
    for (const [name, id] of Object.entries(nodeIds))
      expect(await page.getByTestId("cluster-nodes").getByRole("link", { name, exact: true }).getAttribute("href")).toBe(
        `/teams/${slug}/vms/${id}`,
      );
    const facts = (await page.getByTestId("cluster-facts").textContent())!;
    expect(facts).toContain("v1.31.4+k3s1");
    expect(facts).toContain("air-gapped, from the operator's artifacts");
    expect(facts).toContain("https://10.0.2.15:6443");
    expect(await page.getByTestId("cluster-api-allow").textContent()).toBe("the cluster's nodes and 203.0.113.0/24");
    expect(await page.getByTestId("hardening-report").textContent()).toContain("Every tenant namespace has a default-deny NetworkPolicy");
    const download = page.getByRole("link", { name: "Download kubeconfig" });
    expect(await context.request.get((await download.getAttribute("href"))!).then((r) => r.text())).toBe(KUBECONFIG);
    await page.screenshot({ path: `${SHOTS}/cluster-en.png`, fullPage: true });

    // The API shows the same nodes in the same order; the fields it had before are all still there.
    const body = (await (await context.request.get(`/api/v1/teams/${slug}/clusters/${clusterId}`)).json()) as {
      cluster: Record<string, unknown> & { nodes: Record<string, unknown>[] };
    };
    expect(Object.keys(body.cluster)).toEqual(
      expect.arrayContaining([
        "id",
        "name",
        "state",
        "k3sVersion",
        "installMode",
        "apiEndpoint",
        "apiAllowFrom",
        "lastError",
        "region",
        "nodes",
        "kubeconfigReady",
        "hardeningReport",
      ]),
    );
    expect(body.cluster.nodes.map((n) => [n.clusterRole, n.name, n.state, n.sshPort])).toEqual([
      ["server", "edge-server", "RUNNING", 22200],
      ["agent", "edge-agent-1", "RUNNING", 22201],
      ["agent", "edge-agent-2", "PROVISIONING", null],
    ]);
    expect(JSON.stringify(body)).not.toContain("kubeconfigEnc");
    const doc = (await (await context.request.get("/api/v1/openapi.json")).json()) as { paths: Record<string, Record<string, any>> };
    expect(
      doc.paths["/api/v1/teams/{slug}/clusters"]!.post.requestBody.content["application/json"].schema.properties.agentCount,
    ).toMatchObject({ type: "integer", minimum: 0, maximum: 3, default: 0 });
    expect(
      doc.paths["/api/v1/teams/{slug}/clusters"]!.post.requestBody.content["application/json"].schema.properties.apiAllowFrom,
    ).toMatchObject({ type: "array", maxItems: 10, default: [] });

    // "Re-run checks" on a ready cluster queues a cluster.verify job (no worker runs in this spec) and says so.
    await page.getByTestId("verify-cluster").getByRole("button", { name: "Re-run checks" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toMatch(/Checks are running on every node/);
    expect(await db.prisma.job.count({ where: { clusterId, kind: "cluster.verify", state: "QUEUED" } })).toBe(1);
    expect(await page.getByTestId("retry-cluster").count()).toBe(0); // only a failed cluster offers a retry

    // The API's networks can be changed on a ready cluster: saving queues its provisioning job, which re-applies the firewall.
    const access = page.locator('section[aria-labelledby="cluster-api-access"]');
    const field = access.getByLabel("Kubernetes API reachable from");
    expect(await field.inputValue()).toBe("203.0.113.0/24");
    await field.fill("::/0");
    await access.getByRole("button", { name: "Save networks" }).click();
    await expect
      .poll(() => access.locator("p.alert.error").textContent())
      .toBe("“::/0” is not a network Skjold can open the API to: /0 would open the API to the whole internet; name your own networks.");
    expect(await field.inputValue()).toBe("::/0");
    expect(await db.prisma.job.count({ where: { clusterId, kind: "cluster.provision" } })).toBe(0);
    await field.fill("203.0.113.0/24\n198.51.100.0/24");
    await access.getByRole("button", { name: "Save networks" }).click();
    await expect.poll(() => access.getByRole("status").textContent()).toBe("Saved. The server's firewall is being re-applied.");
    expect((await db.prisma.cluster.findUniqueOrThrow({ where: { id: clusterId } })).apiAllowFrom).toEqual([
      "203.0.113.0/24",
      "198.51.100.0/24",
    ]);
    expect(await db.prisma.job.count({ where: { clusterId, kind: "cluster.provision", state: "QUEUED" } })).toBe(1);
    await expect
      .poll(() => page.getByTestId("cluster-api-allow").textContent())
      .toBe("the cluster's nodes and 203.0.113.0/24, 198.51.100.0/24");
    // Over the API: the same list changes nothing (200); the whole internet is refused (422).
    const patch = async (apiAllowFrom: unknown) => {
      const r = await context.request.fetch(`/api/v1/teams/${slug}/clusters/${clusterId}`, {
        method: "PATCH",
        data: { apiAllowFrom },
        headers: { origin: portal!.baseUrl! },
      });
      return [r.status(), await r.json()];
    };
    expect(await patch(["203.0.113.0/24", "198.51.100.0/24"])).toEqual([
      200,
      { apiAllowFrom: ["203.0.113.0/24", "198.51.100.0/24"], changed: false, jobId: null },
    ]);
    expect((await patch(["0.0.0.0/0"]))[0]).toBe(422);
    expect(
      doc.paths["/api/v1/teams/{slug}/clusters/{id}"]!.patch.requestBody.content["application/json"].schema.properties.apiAllowFrom,
    ).toMatchObject({ type: "array", maxItems: 10 });
    await db.prisma.job.deleteMany({ where: { clusterId, kind: "cluster.provision" } });
  });

  it("speaks Norwegian on both cluster pages once the user switches to Norsk", async () => {
    await page.getByRole("button", { name: "Norsk (bokmål)" }).click();
    await page.getByRole("button", { name: "English" }).waitFor();

    await page.goto(`/teams/${slug}/clusters`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("k3s-klynger");
    const form = page.getByTestId("order-cluster");
    expect(await form.getByLabel("Agentnoder").inputValue()).toBe("0");
    expect(await page.locator("#cluster-agents-hint").textContent()).toBe(
      "0–3. Hver node er en VM med valgt plan og teller mot teamets kvote som alle andre VM-er.",
    );
    expect(await page.getByTestId("cluster-list").locator('tr[data-cluster="edge"] .badge').textContent()).toBe("klar");
    expect(await page.getByTestId("cluster-no-region").textContent()).toBe(
      "Ingen region kan ta imot en ny klynge nå. Åpne listen for å se hvorfor.",
    );
    await form.evaluate((f: HTMLFormElement) => (f.noValidate = true));
    await form.getByLabel("Navn").fill("web");
    await form.getByLabel("Agentnoder").fill("4");
    await form.getByRole("button", { name: "Bestill klynge" }).click();
    await expect.poll(() => page.locator("p.alert.error").textContent()).toBe("Antall agentnoder må være et helt tall fra 0 til 3.");
    await page.screenshot({ path: `${SHOTS}/clusters-nb.png`, fullPage: true });
    const listText = await mainText();

    await page.goto(`/teams/${slug}/clusters/${clusterId}`);
    expect(await page.getByTestId("cluster-state").textContent()).toBe("klar");
    expect(await page.getByRole("heading", { name: "Noder" }).count()).toBe(1);
    expect(await nodeRows()).toEqual([
      ["server", "edge-server", "kjører", "127.0.0.1:22200"],
      ["agent", "edge-agent-1", "kjører", "127.0.0.1:22201"],
      ["agent", "edge-agent-2", "klargjøres", "–"],
    ]);
    expect(await page.getByRole("link", { name: "Last ned kubeconfig" }).count()).toBe(1);
    expect(await page.getByTestId("cluster-facts").textContent()).toContain("uten internett, fra operatørens pakker (air-gap)");
    await page.screenshot({ path: `${SHOTS}/cluster-nb.png`, fullPage: true });
    expect(englishLeftovers(listText + (await mainText()))).toEqual([]);

    // Delete asks in Norwegian first; a dismissed question deletes nothing.
    const asked: string[] = [];
    page.once("dialog", (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await page.getByRole("button", { name: "Slett klyngen" }).click();
    await expect.poll(() => asked).toEqual(["Slette edge og alle nodene? VM-ene og diskene deres slettes for godt."]);
    expect((await db.prisma.cluster.findUniqueOrThrow({ where: { id: clusterId } })).state).toBe("READY");
  });
});
