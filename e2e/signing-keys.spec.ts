import { generateKeyPairSync } from "node:crypto";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, launchBrowser, screenshot, signedInContext } from "./harness/browser";

// A team owner registers the cosign public key the team's pipeline signs its Trivy scans with: the
// page explains the rule, refuses a pasted private key with a readable message, lists the key with
// its fingerprint, and removes it again.

describe("image signing keys", () => {
  let browser: Browser;
  let owner: BrowserContext;
  const slug = `signers-${Date.now().toString(36)}`;
  const pair = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const publicPem = String(pair.publicKey.export({ type: "spki", format: "pem" }));

  beforeAll(async () => {
    browser = await launchBrowser();
    owner = await signedInContext(browser, inject("adminEmail"), inject("adminPassword"));
    expect((await api(owner, "POST", "/api/v1/teams", { name: "Signers AS", slug, ownerEmail: inject("adminEmail") })).status).toBe(201);
  });
  afterAll(async () => browser?.close());

  it("registers a key through the form, refusing a private key first, and removes it", async () => {
    const page = await owner.newPage();
    await page.goto(`/teams/${slug}`);
    await page.getByRole("link", { name: "Image signing keys" }).click();
    await page.waitForURL(`**/teams/${slug}/signing-keys`);
    expect(await page.getByTestId("no-signing-keys").textContent()).toMatch(/every pod in the team's clusters is refused/);
    const form = page.getByTestId("add-signing-key-form");
    await form.getByLabel("Name").fill("ci-2026");
    await form.getByLabel("Public key (cosign.pub)").fill(String(pair.privateKey.export({ type: "pkcs8", format: "pem" })));
    await form.getByRole("button", { name: "Register key" }).click();
    await expect.poll(() => page.locator("p.alert.error").textContent()).toMatch(/is a private key: paste only the public key/);
    expect(await page.getByTestId("signing-keys").count()).toBe(0);

    await form.getByLabel("Public key (cosign.pub)").fill(publicPem);
    await form.getByRole("button", { name: "Register key" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toMatch(/Key "ci-2026" registered \(SHA256:/);
    const row = page.getByTestId("signing-keys").getByRole("row", { name: /ci-2026/ });
    expect(await row.textContent()).toMatch(/ECDSA P-256.*SHA256:[A-Za-z0-9+/]{43}/);
    const listed = await api(owner, "GET", `/api/v1/teams/${slug}/signing-keys`);
    expect(listed.body).toMatchObject({
      items: [{ name: "ci-2026", keyType: "ECDSA P-256", publicKey: publicPem.trim() }],
      nextCursor: null,
    });
    await screenshot(page, "signing-keys");

    page.once("dialog", (d) => void d.accept());
    await row.getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => page.getByTestId("no-signing-keys").count()).toBe(1);
    await page.close();
  });
});
