import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { inject } from "vitest";

// Debian's Chromium, headless, with the flags this closed network needs (ENVIRONMENT.md).
const CHROMIUM = process.env.SKJOLD_CHROMIUM ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export const baseUrl = () => inject("baseUrl");

/** Signs in through the API (not the form) and returns a browser context carrying the session. */
export async function signedInContext(browser: Browser, email: string, password: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl() });
  const r = await context.request.post("/api/v1/auth/session", { data: { email, password } });
  if (!r.ok()) throw new Error(`API sign-in failed for ${email}: ${r.status()} ${await r.text()}`);
  return context;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `.skjold/screenshots/${name}.png`, fullPage: true });
}

/** A JSON API call as the given context (cookies), with the Origin a browser page would send. */
export async function api(context: BrowserContext, method: string, url: string, data?: unknown) {
  const r = await context.request.fetch(url, { method, data, headers: { origin: baseUrl() } });
  return { status: r.status(), body: (await r.json().catch(() => null)) as Record<string, unknown> | null };
}
