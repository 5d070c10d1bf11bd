import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, baseUrl, launchBrowser, screenshot, signedInContext } from "./harness/browser";

// The foundation as a person meets it: sign in with the form, create a team, invite a colleague,
// the colleague joins with the link; a user of another team gets a 404 for it, in the UI and the API.

describe("teams and access", () => {
  let browser: Browser;
  const admin = { email: inject("adminEmail"), password: inject("adminPassword") };
  const suffix = Date.now().toString(36);
  const teamSlug = `acme-${suffix}`;
  const otherSlug = `other-${suffix}`;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  it("rejects a wrong password with a message that does not reveal whether the account exists", async () => {
    const attempt = async (email: string) => {
      const page = await browser.newPage({ baseURL: baseUrl() });
      await page.goto("/sign-in");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill("wrong-password-123");
      await page.getByRole("button", { name: "Sign in" }).click();
      const text = await page.locator("p.alert.error").textContent();
      expect(page.url()).toMatch(/\/sign-in$/);
      await page.close();
      return text;
    };
    const unknown = await attempt("nobody@example.com");
    const known = await attempt(admin.email);
    expect(unknown).toContain("Email or password is incorrect");
    expect(known).toBe(unknown);
  });

  it("signs the admin in through the form, creates a team and invites a member who joins", async () => {
    const context = await browser.newContext({ baseURL: baseUrl() });
    const page = await context.newPage();
    await page.goto("/");
    await page.waitForURL("**/sign-in");
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/teams");

    const create = page.getByTestId("create-team");
    await create.getByLabel("Name").fill("Acme Hosting AS");
    await create.getByLabel("Address (slug)").fill(teamSlug);
    await create.getByLabel("Owner's email (optional)").fill(admin.email);
    await page.getByRole("button", { name: "Create a team" }).click();
    await expect.poll(() => page.getByRole("link", { name: "Acme Hosting AS" }).count()).toBe(1);
    await screenshot(page, "teams");

    await page.getByRole("link", { name: "Acme Hosting AS" }).click();
    await page.waitForURL(`**/teams/${teamSlug}`);
    const invite = page.getByTestId("invite-form");
    await invite.getByLabel("Email").fill(`kari-${suffix}@example.no`);
    await invite.getByLabel("Role").selectOption("VIEWER");
    await page.getByRole("button", { name: "Create invitation link" }).click();
    const link = (await page.getByTestId("one-time-secret").textContent())!;
    expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{20,}$/);
    await screenshot(page, "team");

    const guest = await browser.newContext({ baseURL: baseUrl() });
    const gp = await guest.newPage();
    await gp.goto(link);
    await gp.getByLabel("Name").fill("Kari Nordmann");
    await gp.getByLabel("New password (12+ characters)").fill("kari-secret-password");
    await gp.getByRole("button", { name: "Accept invitation" }).click();
    await gp.waitForURL(`**/teams/${teamSlug}`);
    expect(await gp.getByText("viewer", { exact: true }).first().isVisible()).toBe(true);
    // A viewer sees the team but none of the owner's controls.
    expect(await gp.getByTestId("invite-form").count()).toBe(0);
    expect(await gp.getByTestId("token-form").count()).toBe(0);
    await guest.close();
    await context.close();
  });

  it("answers 404 to a user of another team, in the UI and the API", async () => {
    const adminCtx = await signedInContext(browser, admin.email, admin.password);
    expect((await api(adminCtx, "POST", "/api/v1/teams", { name: "Other AS", slug: otherSlug })).status).toBe(201);
    const inv = await api(adminCtx, "POST", `/api/v1/teams/${otherSlug}/members`, { email: `ola-${suffix}@example.no`, role: "OWNER" });
    expect(inv.status).toBe(201);
    const ola = await browser.newContext({ baseURL: baseUrl() });
    const op = await ola.newPage();
    await op.goto(String(inv.body!.path));
    await op.getByLabel("Name").fill("Ola Nordmann");
    await op.getByLabel("New password (12+ characters)").fill("ola-secret-password-1");
    await op.getByRole("button", { name: "Accept invitation" }).click();
    await op.waitForURL(`**/teams/${otherSlug}`);

    const ui = await op.goto(`/teams/${teamSlug}`);
    expect(ui!.status()).toBe(404);
    expect(await op.getByRole("heading", { name: "Not found" }).isVisible()).toBe(true);
    const viaApi = await api(ola, "GET", `/api/v1/teams/${teamSlug}`);
    expect(viaApi.status).toBe(404);
    const ghost = await api(ola, "GET", `/api/v1/teams/does-not-exist-${suffix}`);
    expect(ghost).toEqual({ status: 404, body: viaApi.body }); // indistinguishable from a team that does not exist

    // An owner's API token reaches its own team only.
    const created = await api(ola, "POST", `/api/v1/teams/${otherSlug}/tokens`, { name: "ci", role: "VIEWER" });
    expect(created.status).toBe(201);
    const token = String(created.body!.token);
    const bearer = (url: string) => fetch(`${baseUrl()}${url}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await bearer(`/api/v1/teams/${otherSlug}`)).status).toBe(200);
    expect((await bearer(`/api/v1/teams/${teamSlug}`)).status).toBe(404);
    expect((await bearer(`/api/v1/admin/audit`)).status).toBe(404);
    await ola.close();
    await adminCtx.close();
  });

  it("sends the security headers on every page", async () => {
    const r = await fetch(`${baseUrl()}/sign-in`);
    expect(r.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
    expect(r.headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(r.headers.get("x-frame-options")).toBe("DENY");
  });
});
