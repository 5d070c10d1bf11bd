import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, baseUrl, launchBrowser, signedInContext } from "./harness/browser";

// Every write route of the foundation refuses malformed, oversized and hostile input with a clear
// 4xx and a JSON error, and nothing changes.

const HOSTILE_STRINGS = [
  "x".repeat(1_000_000),
  'Robert\'); DROP TABLE "Team";--',
  "<script>alert(document.cookie)</script>",
  "acme\u202egnp.exe",
  "nul\u0000byte",
  "../../../etc/passwd",
  "$(reboot)",
];

describe("hostile input on /api/v1", () => {
  let browser: Browser;
  let admin: BrowserContext;
  const slug = `hostile-${Date.now().toString(36)}`;

  beforeAll(async () => {
    browser = await launchBrowser();
    admin = await signedInContext(browser, inject("adminEmail"), inject("adminPassword"));
    expect((await api(admin, "POST", "/api/v1/teams", { name: "Hostile Test AS", slug, ownerEmail: inject("adminEmail") })).status).toBe(
      201,
    );
  });
  afterAll(async () => {
    await admin?.close();
    await browser?.close();
  });

  const snapshot = async () => ({
    // The largest page: a hostile write that slipped through would show on it.
    teams: JSON.stringify((await api(admin, "GET", "/api/v1/teams?limit=200")).body),
    members: JSON.stringify((await api(admin, "GET", `/api/v1/teams/${slug}/members?limit=200`)).body),
    tokens: JSON.stringify((await api(admin, "GET", `/api/v1/teams/${slug}/tokens?limit=200`)).body),
    signingKeys: JSON.stringify((await api(admin, "GET", `/api/v1/teams/${slug}/signing-keys?limit=200`)).body),
    regions: JSON.stringify((await api(admin, "GET", "/api/v1/regions?limit=200")).body),
    plans: JSON.stringify((await api(admin, "GET", "/api/v1/plans?limit=200")).body),
  });

  const writes = () => [
    { url: "/api/v1/teams", body: (s: string) => ({ name: s, slug: s }) },
    { url: `/api/v1/teams/${slug}/members`, body: (s: string) => ({ email: s, role: s }) },
    { url: `/api/v1/teams/${slug}/tokens`, body: (s: string) => ({ name: s, role: "OWNER", expiresInDays: s }) },
    {
      url: `/api/v1/teams/${slug}/signing-keys`,
      body: (s: string) => ({ name: s, publicKey: `-----BEGIN PUBLIC KEY-----\n${s}\n-----END PUBLIC KEY-----` }),
    },
    { url: "/api/v1/regions", body: (s: string) => ({ code: s, name: s, city: s, country: s, jurisdiction: s }) },
    { url: "/api/v1/plans", body: (s: string) => ({ code: s, name: s, vcpus: s, memoryMb: -1, diskGb: 1e12 }) },
  ];

  it("answers 4xx with a JSON error and changes nothing", async () => {
    const before = await snapshot();
    for (const w of writes()) {
      for (const s of HOSTILE_STRINGS) {
        const r = await api(admin, "POST", w.url, w.body(s));
        expect([413, 422], `${w.url} with ${JSON.stringify(s.slice(0, 30))}`).toContain(r.status);
        expect(r.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
        expect(JSON.stringify(r.body)).not.toMatch(/at .*\.(js|ts):\d+/); // no stack traces
      }
      const malformed = await admin.request.fetch(w.url, {
        method: "POST",
        data: Buffer.from("{not json"),
        headers: { origin: baseUrl(), "content-type": "application/json" },
      });
      expect(malformed.status()).toBe(400);
      const wrongShape = await api(admin, "POST", w.url, [1, 2, 3]);
      expect(wrongShape.status).toBe(422);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuses unauthenticated and cross-site writes", async () => {
    const anon = await fetch(`${baseUrl()}/api/v1/teams`, {
      method: "POST",
      body: JSON.stringify({ name: "x", slug: "x" }),
      headers: { "content-type": "application/json" },
    });
    expect(anon.status).toBe(401);
    const forged = await admin.request.fetch("/api/v1/teams", {
      method: "POST",
      data: { name: "Forged", slug: "forged" },
      headers: { origin: "https://evil.example" },
    });
    expect(forged.status()).toBe(403);
    const badToken = await fetch(`${baseUrl()}/api/v1/teams`, { headers: { authorization: "Bearer skj_' OR '1'='1" } });
    expect(badToken.status).toBe(401);
  });

  it("refuses a valid body sent as text/plain with 415 (what a form on another site can send) and changes nothing", async () => {
    const before = await snapshot();
    for (const [url, body] of [
      ["/api/v1/teams", { name: "Plain Text AS", slug: `plain-${slug}` }],
      [`/api/v1/teams/${slug}/tokens`, { name: "plain", role: "OWNER" }],
    ] as const) {
      const r = await admin.request.fetch(url, {
        method: "POST",
        data: JSON.stringify(body),
        headers: { origin: baseUrl(), "content-type": "text/plain;charset=UTF-8" },
      });
      expect(r.status(), url).toBe(415);
      expect(await r.json()).toMatchObject({
        error: { code: "UNSUPPORTED_MEDIA_TYPE", message: expect.stringContaining("application/json") },
      });
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a sign-in body over the limit before parsing it", async () => {
    const r = await fetch(`${baseUrl()}/api/v1/auth/session`, {
      method: "POST",
      body: JSON.stringify({ email: "a@b.no", password: "x".repeat(100_000) }),
      headers: { "content-type": "application/json" },
    });
    expect(r.status).toBe(413);
  });
});
