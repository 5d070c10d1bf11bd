import type { Browser, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, launchBrowser, screenshot, signedInContext } from "./harness/browser";

// An admin manages address pools in the browser: adds an IPv4 and an IPv6 segment pool to Oslo and
// sees their use, is told next to the field what is wrong with a bad prefix or gateway (and nothing
// is stored), asks who had an address at a time, sets the quarantine and deletes a pool. Routed
// pools need a routed host, which needs a real one: tests/integration/network-*.test.ts cover them.

type Pool = { name: string; cidr: string; use: { held: number; quarantined: number; free: string; capacity: string } };

describe("networks", () => {
  let browser: Browser;
  const admin = { email: inject("adminEmail"), password: inject("adminPassword") };

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  async function fillPool(form: Locator, values: Record<string, string>) {
    for (const [label, value] of Object.entries(values)) {
      const field = form.getByLabel(label);
      if ((await field.evaluate((el) => el.tagName)) === "SELECT") await field.selectOption(value);
      else await field.fill(value);
    }
  }

  it("adds IPv4 and IPv6 pools, refuses bad ones by field, looks up an address", { timeout: 180_000 }, async () => {
    const context = await signedInContext(browser, admin.email, admin.password);
    const page = await context.newPage();
    await page.goto("/admin/networks");
    expect(await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Networks" }).count()).toBe(1);
    const form = page.getByTestId("add-pool");

    await fillPool(form, {
      Name: "e2e-osl-v4",
      Region: "osl1",
      Family: "IPV4",
      Kind: "segment",
      CIDR: "198.51.100.0/26",
      Gateway: "198.51.100.1",
      "Held-back addresses": "198.51.100.2, 198.51.100.3",
      "DNS resolvers (up to 3)": "198.51.100.53",
    });
    await form.getByRole("button", { name: "Add pool" }).click();
    await page.getByText("Pool e2e-osl-v4 (198.51.100.0/26) added.").waitFor();

    await fillPool(form, {
      Name: "e2e-osl-v6",
      Region: "osl1",
      Family: "IPV6",
      Kind: "segment",
      CIDR: "2001:DB8:42:0::/64",
      Gateway: "fe80::1",
      "Held-back addresses": "",
      "DNS resolvers (up to 3)": "2001:db8::53",
    });
    await form.getByRole("button", { name: "Add pool" }).click();
    await page.getByText("Pool e2e-osl-v6 (2001:db8:42::/64) added.").waitFor(); // stored canonical

    // What the page shows is what the API counts: nothing held yet, all of it free.
    const listed = await api(context, "GET", "/api/v1/admin/ip-pools?region=osl1");
    expect(listed.status).toBe(200);
    const pools = (listed.body as { items: Pool[]; nextCursor: string | null }).items;
    expect(pools.map((p) => [p.name, p.cidr, p.use.held, p.use.quarantined])).toEqual([
      ["e2e-osl-v4", "198.51.100.0/26", 0, 0],
      ["e2e-osl-v6", "2001:db8:42::/64", 0, 0],
    ]);
    expect(pools[0]!.use).toEqual({ held: 0, quarantined: 0, free: "59", capacity: "59" }); // 64 − network, broadcast, gateway, 2 held back
    const v4 = page.getByTestId("pool-e2e-osl-v4");
    await v4.waitFor();
    expect(await v4.getByTestId("use").textContent()).toBe("0 used · 0 quarantined59 free of 59");
    expect(await v4.textContent()).toContain("198.51.100.2, 198.51.100.3");
    // 2^64 − 1 addresses (all but the subnet-router anycast), too long to read: shortened on the page.
    expect(await page.getByTestId("pool-e2e-osl-v6").getByTestId("use").textContent()).toBe(
      "0 used · 0 quarantined≈ 1.8 × 10¹⁹ free of ≈ 1.8 × 10¹⁹",
    );
    expect(pools[1]!.use).toEqual({ held: 0, quarantined: 0, free: "18446744073709551615", capacity: "18446744073709551615" });
    expect(await page.getByTestId("regions-without-pools").textContent()).toBe(
      "No pools yet in Amsterdam (ams1), Bergen (bgo1), Frankfurt (fra1), Helsinki (hel1), Stockholm (sto1).",
    );
    await screenshot(page, "networks");

    // A prefix with host bits set: the message sits next to the CIDR field; nothing is stored.
    await fillPool(form, {
      Name: "e2e-bad",
      Region: "osl1",
      Family: "IPV4",
      Kind: "segment",
      CIDR: "198.51.100.70/26",
      Gateway: "198.51.100.65",
      "Held-back addresses": "",
      "DNS resolvers (up to 3)": "",
    });
    await form.getByRole("button", { name: "Add pool" }).click();
    const cidrError = form.locator('[data-field="cidr"]');
    await cidrError.waitFor();
    expect(await cidrError.textContent()).toBe("198.51.100.70/26 has host bits set; did you mean 198.51.100.64/26?");
    expect(await form.getByLabel("Name").inputValue()).toBe("e2e-bad"); // kept for correcting

    // A gateway outside its prefix, and a prefix overlapping a pool: each named at its field.
    await fillPool(form, { CIDR: "198.51.100.64/26", Gateway: "198.51.100.1" });
    await form.getByRole("button", { name: "Add pool" }).click();
    await form.locator('[data-field="gateway"]').filter({ hasText: "198.51.100.1 is not inside 198.51.100.64/26" }).waitFor();
    expect(await form.locator('[data-field="cidr"]').count()).toBe(0);
    await fillPool(form, { CIDR: "198.51.100.0/25", Gateway: "198.51.100.1" });
    await form.getByRole("button", { name: "Add pool" }).click();
    await form.locator('[data-field="cidr"]').filter({ hasText: "overlaps pool e2e-osl-v4 (198.51.100.0/26) in Oslo (osl1)" }).waitFor();
    await screenshot(page, "networks-field-error");

    const viaApi = await api(context, "POST", "/api/v1/admin/ip-pools", {
      name: "e2e-api-bad",
      regionCode: "osl1",
      family: "IPV4",
      kind: "segment",
      cidr: "198.51.100.128/26",
      gateway: "203.0.113.1",
    });
    expect(viaApi.status).toBe(422);
    expect(viaApi.body).toMatchObject({
      error: { code: "VALIDATION", details: [{ path: "gateway", message: "203.0.113.1 is not inside 198.51.100.128/26" }] },
    });
    const unknownRegion = await api(context, "POST", "/api/v1/admin/ip-pools", {
      name: "e2e-nowhere",
      regionCode: "zz9",
      family: "IPV4",
      kind: "segment",
      cidr: "198.51.100.192/26",
      gateway: "198.51.100.193",
    });
    expect(unknownRegion.status).toBe(422);
    expect(unknownRegion.body).toMatchObject({ error: { details: [{ path: "regionCode", message: "there is no region zz9" }] } });
    const after = await api(context, "GET", "/api/v1/admin/ip-pools");
    expect(JSON.stringify(after.body).match(/"name":"e2e-[a-z0-9-]+"/g)).toEqual(['"name":"e2e-osl-v4"', '"name":"e2e-osl-v6"']);

    // Who had an address at a time: nobody yet, and it was never handed out.
    const lookup = page.getByTestId("address-lookup");
    await lookup.getByLabel("Address").fill("198.51.100.10");
    await lookup.getByLabel("Time (UTC)").fill("2026-12-01T14:03");
    await lookup.getByRole("button", { name: "Look up" }).click();
    await page.waitForURL(/address=198\.51\.100\.10&at=2026-12-01T14%3A03/);
    expect(await page.getByTestId("lookup-result").textContent()).toContain(
      "No VM held 198.51.100.10 at 2026-12-01 14:03 UTC.History of 198.51.100.10Skjold has never handed out this address.",
    );
    await screenshot(page, "networks-lookup");
    await page.goto("/admin/networks?address=not-an-address");
    expect(await page.getByTestId("address-lookup").getByRole("alert").textContent()).toBe(
      "Address: not-an-address is not an IPv4 or IPv6 address",
    );
    const byApi = await api(context, "GET", `/api/v1/admin/addresses/${encodeURIComponent("2001:db8:42::7")}?at=2026-12-01T14:03:00Z`);
    expect(byApi).toEqual({ status: 200, body: { address: "2001:db8:42::7", at: "2026-12-01T14:03:00.000Z", holders: [], history: [] } });
    expect((await api(context, "GET", "/api/v1/admin/addresses/198.51.100.10?at=yesterday")).status).toBe(422);

    // The quarantine, in hours on the page and seconds in the API.
    const quarantine = page.getByTestId("quarantine");
    await quarantine.getByLabel("Quarantine (hours)").fill("48");
    await quarantine.getByRole("button", { name: "Save quarantine" }).click();
    await quarantine.getByText("Quarantine set to 48 hours.").waitFor();
    expect((await api(context, "GET", "/api/v1/admin/network/quarantine")).body).toEqual({
      quarantineSeconds: 172_800,
      maxSeconds: 7_776_000,
    });
    expect((await api(context, "PUT", "/api/v1/admin/network/quarantine", { quarantineSeconds: -1 })).status).toBe(422);

    // A pool nothing is held from can go.
    page.once("dialog", (d) => void d.accept());
    await page.getByTestId("pool-e2e-osl-v6").getByRole("button", { name: "Delete" }).click();
    await page.getByTestId("pool-e2e-osl-v6").waitFor({ state: "detached" }); // its row, with its form, goes
    await page.reload();
    expect(await page.getByTestId("pool-e2e-osl-v6").count()).toBe(0);
    expect(await page.getByTestId("pool-e2e-osl-v4").count()).toBe(1);

    // The API document lists the new routes with the role they need.
    expect((await api(context, "GET", "/api/v1/openapi.json")).body).toMatchObject({
      paths: { "/api/v1/admin/ip-pools": { post: { description: "Requires: platform admin." } } },
    });
    await context.close();
  });
});
