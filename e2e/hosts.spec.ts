import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { getLab } from "@/tests/helpers/lab";
import { api, launchBrowser, screenshot, signedInContext } from "./harness/browser";

// An admin onboards the lab libvirt host in the browser: pastes Skjold's key, sees the host key
// fingerprint, confirms it, and sees what Skjold discovered (TCG on this machine). No guest boots.

describe("hosts", () => {
  let browser: Browser;
  const admin = { email: inject("adminEmail"), password: inject("adminPassword") };
  const name = `lab-${Date.now().toString(36)}`;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  it("adds the lab host, confirms its fingerprint and shows its facts", { timeout: 180_000 }, async () => {
    const lab = getLab();
    const context = await signedInContext(browser, admin.email, admin.password);
    const page = await context.newPage();
    await page.goto("/admin/hosts/new");
    const form = page.getByTestId("add-host");
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Region").selectOption("osl1");
    await form.getByLabel("Address", { exact: true }).fill(lab.address);
    await form.getByLabel("SSH port").fill(String(lab.port));
    await form.getByLabel("SSH user").fill(lab.username);
    await form.getByLabel("Use my private key").check();
    await form.getByLabel("Lab trial").check();
    await form.getByLabel("Private key (stored encrypted, never shown again)").fill(readFileSync(lab.privateKeyPath, "utf8"));
    await page.getByRole("button", { name: "Add a host" }).click();
    await page.waitForURL(/\/admin\/hosts\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    expect(await page.getByTestId("presented-fingerprint").textContent()).toBe(`ssh-ed25519 ${lab.hostKeyFingerprint}`);
    expect(await page.getByTestId("authorized-keys-line").textContent()).toMatch(
      /^restrict,port-forwarding ssh-ed25519 AAAA\S+ skjold@lab-/,
    );
    await screenshot(page, "hosts-confirm");

    await page.getByRole("button", { name: "Confirm this fingerprint" }).click(); // discovery + KVM/TCG probe
    await page.getByTestId("accelerator").filter({ hasText: "TCG" }).waitFor({ timeout: 150_000 });
    expect(await page.getByTestId("host-status").textContent()).toBe("online");
    expect(await page.getByTestId("confirm-key").count()).toBe(0);
    expect(await page.getByTestId("pools").textContent()).toContain("not NVMe");
    await screenshot(page, "hosts-detail");

    await page.goto("/admin/hosts");
    const row = page.getByRole("row").filter({ hasText: name });
    expect(await row.textContent()).toMatch(/online.*TCG/);
    await screenshot(page, "hosts");

    const listed = await api(context, "GET", "/api/v1/admin/hosts");
    expect(listed.status).toBe(200);
    expect((listed.body as { items: { name: string }[] }).items.map((h) => h.name)).toContain(name);
    expect(JSON.stringify(listed.body)).not.toMatch(/PRIVATE KEY|privateKeyEnc/);
    await context.close();
  });
});
