import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { encryptSecret } from "@/lib/core/secrets";
import { openDatabase, type Database } from "@/lib/db/connect";
import { seedDatabase } from "@/lib/db/seed";
import { PG_ADMIN_URL } from "@/tests/helpers/db";
import { freeLoopbackPort, getLab } from "@/tests/helpers/lab";
import { createLatencyNetns, type LatencyNetns } from "@/tests/helpers/netns";
import { api, baseUrl, launchBrowser, screenshot, signedInContext } from "./harness/browser";

// Latency as people meet it. On the shared portal (no host onboarded) every figure says "no data"
// and the chart area says so. On a portal of this spec's own (PostgreSQL, the lab host onboarded
// into it), "Probe now" measures a namespace target with a known delay through the lab host, and
// the region page shows the figures and draws the recharts chart under the portal's CSP.

const suffix = Date.now().toString(36);
const DELAY_MS = 20;

/**
 * Collects what would mean the page's own scripts or the chart were refused or broke: CSP
 * violations, script errors, and failed loads of the portal's bundles or of the region pages.
 * (Prefetches of nav links to pages other engineers have not built yet are not this page's fault.)
 */
function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on(
    "console",
    (m) => m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text()) && problems.push(`csp: ${m.text()}`),
  );
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on(
    "response",
    (r) => r.status() >= 400 && /\/_next\/static\/|\/regions|\/admin\/latency/.test(r.url()) && problems.push(`${r.status()} ${r.url()}`),
  );
  return problems;
}

describe("latency on the shared portal, before any host measures", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  it("lists a configured target and says honestly that nothing has been measured", async () => {
    const admin = await signedInContext(browser, inject("adminEmail"), inject("adminPassword"));
    const created = await api(admin, "POST", "/api/v1/admin/latency/targets", {
      exchange: "NIX Oslo",
      name: `rs-${suffix}`,
      address: "192.0.2.1",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ method: "icmp", count: 5, intervalSec: 300, enabled: true });
    expect((await fetch(`${baseUrl()}/api/v1/admin/latency/targets`)).status).toBe(401);

    const page = await admin.newPage();
    const problems = watchPage(page);
    await page.goto("/admin/latency");
    expect(await page.getByTestId("no-shipped-addresses").textContent()).toContain(
      "add the route server or looking-glass address of your exchange",
    );
    expect(await page.getByTestId("latency-targets").locator(`tr[data-target="rs-${suffix}"]`).count()).toBe(1);
    await page.getByTestId("probe-now").getByRole("button", { name: "Probe now" }).click();
    await expect.poll(() => page.getByTestId("probe-section").locator("p.alert.error").textContent()).toContain("No host is online");
    await screenshot(page, "latency-admin-empty");

    await page.goto("/regions");
    const osl = page.locator('tr[data-region="osl1"]');
    expect(await osl.locator('[data-status="no-data"]').getByText("no data").count()).toBe(1);
    await page.goto("/regions/osl1");
    const row = page.locator(`tr[data-target="rs-${suffix}"]`);
    expect(await row.getAttribute("data-status")).toBe("no-data");
    expect(await row.getByText("no data").isVisible()).toBe(true);
    const chart = page.getByTestId("latency-chart").filter({ hasText: `rs-${suffix}` });
    expect(await chart.getAttribute("data-empty")).toBe("true");
    expect(await chart.getByText("No measurements in this window.").isVisible()).toBe(true);
    await screenshot(page, "latency-region-empty");
    expect(problems).toEqual([]);

    const figures = await api(admin, "GET", "/api/v1/regions/osl1/latency");
    expect(figures.status).toBe(200);
    expect(figures.body!.figures).toEqual(
      expect.arrayContaining([expect.objectContaining({ targetName: `rs-${suffix}`, status: "no-data", medianMs: null, lastAt: null })]),
    );
    const metrics = await admin.request.get("/api/v1/admin/metrics");
    expect(metrics.headers()["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(await metrics.text()).toContain(`skjold_latency_fresh{region="osl1",exchange="NIX Oslo",target="rs-${suffix}",method="icmp"} 0`);
    expect((await api(admin, "DELETE", `/api/v1/admin/latency/targets/${created.body!.id}`)).status).toBe(204);
    await admin.close();
  });
});

describe("latency measured through the onboarded lab host", () => {
  const metricsToken = randomBytes(24).toString("hex");
  const adminEmail = "admin@latency.e2e.skjold.test";
  const adminPassword = "latency-e2e-admin-password";
  const dbName = `skjold_e2e_lat_${randomBytes(5).toString("hex")}`;
  let browser: Browser;
  let db: Database;
  let portal: ChildProcess;
  let netns: LatencyNetns;
  let url: string;

  const adminSql = async (sql: string) => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    await c.query(sql);
    await c.end();
  };

  beforeAll(async () => {
    const lab = getLab();
    netns = await createLatencyNetns({ delayMs: DELAY_MS });
    process.env.SKJOLD_SECRET_KEY ??= randomBytes(32).toString("base64"); // shared with the portal below
    await adminSql(`CREATE DATABASE ${dbName}`);
    const dbUrl = new URL(PG_ADMIN_URL);
    dbUrl.pathname = `/${dbName}`;
    db = await openDatabase({ kind: "postgres", url: dbUrl.toString(), poolSize: 2 });
    await seedDatabase(db.prisma, { adminEmail, adminPassword });
    const osl = await db.prisma.region.findUniqueOrThrow({ where: { code: "osl1" } });
    await db.prisma.host.create({
      data: {
        name: "lab-osl",
        regionId: osl.id,
        address: lab.address,
        port: lab.port,
        username: lab.username,
        privateKeyEnc: encryptSecret(lab.target.privateKey),
        publicKey: lab.publicKey,
        hostKeyFingerprint: lab.hostKeyFingerprint,
        hostKeyPinnedAt: new Date(),
        status: "ONLINE",
      },
    });
    const port = await freeLoopbackPort();
    url = `http://127.0.0.1:${port}`;
    const next = path.resolve(import.meta.dirname, "../node_modules/next/dist/bin/next");
    portal = spawn(process.execPath, [next, "start", "-p", String(port), "-H", "127.0.0.1"], {
      cwd: path.resolve(import.meta.dirname, ".."),
      stdio: ["ignore", "inherit", "inherit"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: dbUrl.toString(),
        SKJOLD_PUBLIC_URL: url,
        SKJOLD_METRICS_TOKEN: metricsToken,
      },
    });
    for (
      let i = 0;
      i < 400 &&
      !(await fetch(`${url}/api/health`).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    )
      await new Promise((r) => setTimeout(r, 300));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    portal?.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    await db?.close();
    await adminSql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await netns?.close();
  });

  it("probes now, shows the measured delay, draws the chart under the CSP, and exports metrics", async () => {
    const context = await browser.newContext({ baseURL: url });
    expect((await context.request.post("/api/v1/auth/session", { data: { email: adminEmail, password: adminPassword } })).ok()).toBe(true);
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto("/admin/latency");
    const add = page.getByTestId("add-target");
    await add.getByLabel("Exchange").fill("NIX Oslo");
    await add.getByLabel("Name", { exact: true }).fill("rs-lab");
    await add.getByLabel("Address (IP or DNS name)").fill(netns.delayedAddress);
    await add.getByLabel("Port (for TCP)").fill("179");
    await add.getByLabel("Method").selectOption("both");
    await add.getByRole("button", { name: "Add target" }).click();
    await expect.poll(() => page.getByTestId("latency-targets").locator('tr[data-target="rs-lab"]').count(), { timeout: 15_000 }).toBe(1);
    await page.getByTestId("probe-now").getByRole("button", { name: "Probe now" }).click();
    await expect
      .poll(() => page.getByTestId("probe-section").locator("p.alert.ok").textContent(), { timeout: 60_000 })
      .toContain("lab-osl: 2/2 probe runs answered");
    await screenshot(page, "latency-admin");

    await page.goto("/regions/osl1?window=1h");
    for (const method of ["ICMP", "TCP"]) {
      const row = page.locator(`tr[data-target="rs-lab"][data-method="${method}"]`);
      expect(await row.getAttribute("data-status")).toBe("ok");
      const median = Number((await row.locator("td").nth(3).textContent())!.replace(" ms", ""));
      expect(median).toBeGreaterThanOrEqual(DELAY_MS - 1);
      expect(median).toBeLessThanOrEqual(DELAY_MS + 25);
    }
    const chart = page.getByTestId("latency-chart").filter({ hasText: "rs-lab" });
    expect(await chart.getAttribute("data-empty")).toBe("false");
    // One probe run is one point per line: recharts draws it as a dot (a line needs two points).
    await chart.locator("svg.recharts-surface .recharts-line-dots circle").first().waitFor({ timeout: 15_000 });
    await screenshot(page, "latency-region");
    expect(await chart.locator("svg.recharts-surface .recharts-line-dots circle").count()).toBe(4);
    expect(await chart.locator(".recharts-legend-item").allTextContents()).toEqual(["ICMP median", "ICMP p95", "TCP median", "TCP p95"]);
    await page.goto("/regions");
    expect(await page.locator('tr[data-region="osl1"] [data-status="ok"] strong').textContent()).toMatch(/^\d+(\.\d+)? ms$/);
    expect(await page.locator('tr[data-region="bgo1"] [data-status="no-data"]').count()).toBe(1);
    await screenshot(page, "latency-regions");

    // Where users choose a region, the order page shows the same figure the database holds.
    const figures = await db.prisma.latencySample.findMany({ where: { target: { name: "rs-lab" }, received: { gt: 0 } } });
    expect(figures.length).toBeGreaterThan(0);
    expect(
      (
        await context.request.post("/api/v1/teams", { data: { name: "Latency AS", slug: "latency-as" }, headers: { origin: url } })
      ).status(),
    ).toBe(201);
    await page.goto("/teams/latency-as/order");
    const osl = page.getByTestId("latency-osl1");
    const shown = Number((await osl.locator("strong").textContent())!.replace(" ms", ""));
    const medians = figures.map((f) => f.medianMs!).sort((a, b) => a - b);
    expect(shown).toBeGreaterThanOrEqual(medians[0]! - 0.1);
    expect(shown).toBeLessThanOrEqual(medians[medians.length - 1]! + 0.1);
    expect(await page.getByTestId("latency-bgo1").textContent()).toMatch(/no data|not measured/);
    await screenshot(page, "latency-order");
    expect(problems).toEqual([]);

    const scrape = (token: string) => fetch(`${url}/api/v1/admin/metrics`, { headers: { authorization: `Bearer ${token}` } });
    const ok = await scrape(metricsToken);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^skjold_latency_median_ms\{region="osl1",exchange="NIX Oslo",target="rs-lab",method="tcp"\} \d/m);
    expect((await scrape(`${metricsToken}0`)).status).toBe(401);
    await context.close();
  });
});
