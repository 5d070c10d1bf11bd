import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { PDFParse } from "pdf-parse";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, baseUrl, launchBrowser, screenshot, signedInContext } from "./harness/browser";

// GDPR residency as its users meet it: the admin places the portal in Oslo (so every team's account
// data is recorded there), an owner tries EU-only (refused: that data is in Norway) and sets
// Norway-only, downloads the reports and checks their digests; an auditor reads them; a viewer and
// another team's owner cannot; the admin sees the platform report and a verified ledger.

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("data residency in the portal", () => {
  let browser: Browser;
  let admin: BrowserContext;
  const users: Record<"owner" | "auditor" | "viewer" | "other", BrowserContext> = {} as never;
  const suffix = Date.now().toString(36);
  const slug = `fjord-${suffix}`;
  const otherSlug = `rival-${suffix}`;
  const teamApi = `/api/v1/teams/${slug}/residency`;
  let beforePortalPlaced = "";

  async function join(path: string, name: string): Promise<BrowserContext> {
    const ctx = await browser.newContext({ baseURL: baseUrl(), acceptDownloads: true });
    const page = await ctx.newPage();
    await page.goto(path);
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("New password (12+ characters)").fill(`${name.toLowerCase().replace(/\W/g, "")}-password-1`);
    await page.getByRole("button", { name: "Accept invitation" }).click();
    await page.waitForURL("**/teams/*");
    await page.close();
    return ctx;
  }

  async function invite(team: string, email: string, role: string): Promise<string> {
    const r = await api(admin, "POST", `/api/v1/teams/${team}/members`, { email, role });
    expect(r.status).toBe(201);
    return String(r.body!.path);
  }

  async function download(page: Page, name: string): Promise<Buffer> {
    const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name }).click()]);
    expect(file.suggestedFilename()).toMatch(new RegExp(`^skjold-residency-${slug}-\\d{4}-\\d{2}-\\d{2}-seq\\d+\\.(json|pdf|csv)$`));
    return readFile((await file.path())!);
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    admin = await signedInContext(browser, inject("adminEmail"), inject("adminPassword"));
    for (const [s, name] of [
      [slug, "Fjordkraft Data AS"],
      [otherSlug, "Rival AS"],
    ]) {
      expect((await api(admin, "POST", "/api/v1/teams", { name, slug: s })).status).toBe(201);
    }
    users.owner = await join(await invite(slug, `ingrid-${suffix}@example.no`, "OWNER"), "Ingrid Owner");
    users.auditor = await join(await invite(slug, `astrid-${suffix}@example.no`, "AUDITOR"), "Astrid Auditor");
    users.viewer = await join(await invite(slug, `vidar-${suffix}@example.no`, "VIEWER"), "Vidar Viewer");
    users.other = await join(await invite(otherSlug, `olav-${suffix}@example.no`, "OWNER"), "Olav Other");
  });
  afterAll(async () => browser?.close());

  it("lets the admin place the portal in Oslo, which records every team's account data there", async () => {
    beforePortalPlaced = new Date().toISOString();
    const page = await admin.newPage();
    await page.goto("/admin/residency");
    const form = page.getByTestId("portal-location-form");
    await form.getByLabel("Region").selectOption("osl1");
    await form.getByRole("button", { name: "Set location" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toMatch(/Portal location set to osl1; \d+ team\(s\) recorded there/);
    await page.close();
  });

  it("refuses EU-only for the owner with the violating data listed, then sets Norway-only", async () => {
    const page = await users.owner.newPage();
    await page.goto(`/teams/${slug}/residency`);
    expect(await page.getByTestId("current-policy").textContent()).toBe("EEA only (EU, Norway, Iceland, Liechtenstein)");
    const policies = page.getByTestId("policies");
    expect(await policies.locator('tr[data-policy="NORWAY_ONLY"]').textContent()).toContain("Oslo (osl1, NO, NO_EEA)");
    expect(await policies.locator('tr[data-policy="EU"]').textContent()).not.toContain("osl1");

    const form = page.getByTestId("policy-form");
    await form.getByLabel("New policy").selectOption("EU");
    await form.getByRole("button", { name: "Change policy" }).click();
    const violations = page.getByTestId("policy-violations");
    await violations.waitFor();
    expect(await page.getByRole("alert").first().textContent()).toMatch(/stays "EEA only.*1 resource\(s\) lie outside "EU only/);
    expect((await violations.locator("tbody tr").allTextContents()).join("|")).toMatch(
      /Portal database.*PORTAL_DATABASE.*data.*osl1.*NO_EEA/,
    );
    await screenshot(page, "residency-refused");

    await form.getByLabel("New policy").selectOption("NORWAY_ONLY");
    await form.getByRole("button", { name: "Change policy" }).click();
    await expect.poll(() => page.getByTestId("current-policy").textContent()).toBe("Norway only");
    expect(await page.getByRole("status").first().textContent()).toBe('Policy changed to "Norway only".');
    await page.close();
  });

  it("shows the owner where the data is, downloads JSON and PDF, and lists their digests", async () => {
    const page = await users.owner.newPage();
    await page.goto(`/teams/${slug}/residency`);
    const row = await page.getByTestId("locations").locator("tbody tr").allTextContents();
    expect(row).toHaveLength(1);
    expect(row[0]).toMatch(/Portal database.*PORTAL_DATABASE.*osl1.*NO.*NO_EEA/);
    expect(await page.getByTestId("totals").locator("tbody").textContent()).toMatch(/NO_EEA\s*NO\s*1/);
    expect(await page.getByTestId("transfers").textContent()).toMatch(/^None\./);

    const json = await download(page, "Download JSON");
    const report = JSON.parse(json.toString("utf8"));
    expect(report.team).toMatchObject({ slug, policy: "NORWAY_ONLY", policyLabel: "Norway only" });
    expect(report.locations.map((l: Record<string, string>) => [l.resourceKind, l.region, l.jurisdiction])).toEqual([
      ["PORTAL_DATABASE", "osl1", "NO_EEA"],
    ]);
    expect(report.transfersOutsideEea.statement).toMatch(/^None\./);
    const pdf = await download(page, "Download PDF");
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const text = (await parser.getText()).text.replace(/\s+/g, " ");
    await parser.destroy();
    for (const fact of ["Fjordkraft Data AS", "Norway only", "osl1", "None.", report.ledgerHead.hash]) expect(text, fact).toContain(fact);

    await page.reload();
    const exportsText = await page.getByTestId("recent-exports").textContent();
    expect(exportsText).toContain(sha256(json));
    expect(exportsText).toContain(sha256(pdf));
    await page.getByRole("button", { name: "Verify ledger" }).click();
    await expect
      .poll(() => page.getByTestId("verify-form").locator("..").getByRole("status").textContent())
      .toMatch(/^Ledger OK: \d+ entries chain correctly\. Head #\d+ [0-9a-f]{64}$/);
    await screenshot(page, "residency-team");

    // A past date: before the portal was placed, the ledger held nothing for this team.
    await page.goto(`/teams/${slug}/residency?asOf=2020-01-01`);
    expect(await page.getByRole("heading", { name: /Where the data was at 2020-01-01/ }).isVisible()).toBe(true);
    expect(await page.getByTestId("no-locations").isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Download CSV" }).getAttribute("href")).toBe(
      `${teamApi}/report?format=csv&asOf=2020-01-01`,
    );
    await page.close();
  });

  it("gives an auditor the report with its ledger head, a digest to check, and the state at a past time", async () => {
    const r = await users.auditor.request.get(`${teamApi}/report?format=json`);
    expect(r.status()).toBe(200);
    expect(r.headers()["content-type"]).toBe("application/json; charset=utf-8");
    expect(r.headers()["content-disposition"]).toMatch(/^attachment; filename="skjold-residency-/);
    const [seq, hash] = r.headers()["x-skjold-ledger-head"]!.split(":");
    const body = await r.body();
    expect(JSON.parse(body.toString()).ledgerHead).toEqual({ seq, hash });
    const digest = await api(users.auditor, "GET", `${teamApi}/reports/${r.headers()["x-skjold-report-id"]}`);
    expect(digest.body).toMatchObject({
      contentSha256: sha256(body),
      bytes: body.length,
      format: "json",
      exportedBy: `astrid-${suffix}@example.no`,
    });

    const past = await users.auditor.request.get(`${teamApi}/report?format=json&asOf=${encodeURIComponent(beforePortalPlaced)}`);
    expect((await past.json()).locations).toEqual([]);
    const bad = await api(users.auditor, "GET", `${teamApi}/report?format=pdf&asOf=2026-13-45`);
    expect(bad.status).toBe(422);
    expect((bad.body!.error as { message: string }).message).toMatch(/asOf: "2026-13-45" is not a valid date: use a date \(YYYY-MM-DD\)/);

    const page = await users.auditor.newPage();
    await page.goto(`/teams/${slug}/residency`);
    expect(await page.getByTestId("downloads").getByRole("link").count()).toBe(3);
    expect(await page.getByTestId("policy-form").count()).toBe(0);
    expect(await page.getByText("Only team owners can change the policy.").isVisible()).toBe(true);
    await page.close();
  });

  it("keeps a viewer from the report and from changing the policy", async () => {
    const page = await users.viewer.newPage();
    await page.goto(`/teams/${slug}/residency`);
    expect(await page.getByTestId("residency-forbidden").textContent()).toContain("(viewer) cannot see where its data is");
    expect(await page.getByTestId("policy-form").count()).toBe(0);
    expect(await page.getByTestId("downloads").count()).toBe(0);
    await screenshot(page, "residency-viewer");
    await page.close();
    const put = await api(users.viewer, "PUT", `${teamApi}/policy`, { policy: "EEA" });
    expect(put.status).toBe(403);
    expect((await api(users.viewer, "GET", `${teamApi}/report?format=csv`)).status).toBe(403);
    expect((await api(users.viewer, "GET", `${teamApi}/policy`)).body).toMatchObject({
      policy: "NORWAY_ONLY",
      allowedRegions: [{ code: "bgo1" }, { code: "osl1" }],
    });
  });

  it("answers 404 to another team's owner for the report in every format, exactly as for no team", async () => {
    const ghost = await api(users.other, "GET", `/api/v1/teams/nope-${suffix}/residency/report?format=json`);
    expect(ghost.status).toBe(404);
    for (const format of ["csv", "json", "pdf"]) {
      expect(await api(users.other, "GET", `${teamApi}/report?format=${format}`)).toEqual(ghost);
    }
    expect((await api(users.other, "GET", `${teamApi}/policy`)).status).toBe(404);
    expect((await api(users.other, "PUT", `${teamApi}/policy`, { policy: "EEA" })).status).toBe(404);
    expect((await api(users.other, "POST", `${teamApi}/verify`)).status).toBe(404);
    expect((await api(users.other, "GET", `/api/v1/admin/residency/report?format=json`)).status).toBe(404);
    const page = await users.other.newPage();
    expect((await page.goto(`/teams/${slug}/residency`))!.status()).toBe(404);
    await page.close();
  });

  it("shows the admin the platform report, saves operator details and verifies the ledger", async () => {
    const page = await admin.newPage();
    await page.goto("/admin/residency");
    const form = page.getByTestId("operator-form");
    await form.getByLabel("Company").fill("Skjold Drift AS");
    await form.getByLabel("Organisation number").fill("923 456 789");
    await form.getByLabel("Data protection officer").fill("Kari Nordmann");
    await form.getByLabel("DPO email").fill("personvern@skjold.example");
    await form.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.getByText("Operator details saved: Skjold Drift AS.").count()).toBe(1);
    await page.reload();
    expect((await page.getByTestId("locations").textContent())!).toContain(slug);
    expect(await page.getByTestId("transfers").textContent()).toMatch(/^None\./);
    await page.getByRole("button", { name: "Verify ledger" }).click();
    await expect.poll(() => page.getByText(/^Ledger OK: \d+ entries chain correctly/).count()).toBe(1);
    await screenshot(page, "residency-admin");

    const r = await admin.request.get("/api/v1/admin/residency/report?format=json");
    const platform = await r.json();
    expect(platform).toMatchObject({
      scope: "platform",
      processor: { company: "Skjold Drift AS", orgNumber: "923 456 789", dpo: { name: "Kari Nordmann" } },
    });
    expect(platform.locations.filter((l: { team: string }) => l.team === slug || l.team === otherSlug)).toHaveLength(2);
    expect((await api(admin, "POST", "/api/v1/admin/residency/verify")).body).toMatchObject({ ok: true });
    await page.close();
  });
});
