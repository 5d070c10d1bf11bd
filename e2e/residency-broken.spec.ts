import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/connect";
import { recordDataLocation } from "@/lib/residency";
import { PG_ADMIN_URL } from "@/tests/helpers/db";
import { makeTeam, makeUser } from "@/tests/helpers/factories";
import { launchBrowser, screenshot } from "./harness/browser";
import { holdBuildLockShared, startPortal, stopProcesses, type ManagedProcess } from "./harness/processes";

// Issue 18, in the browser: a DBA changes a ledger row with the append-only trigger bypassed. After
// the next verification the admin and the team's owner see the alarm on every page (in their own
// language), the residency pages and the downloads say the ledger is broken; an acknowledgement stops
// the alarm but not the mark; restoring the row and verifying clears both. A portal of its own on
// PostgreSQL, so the broken ledger cannot disturb the other specs and the test can play the DBA.

const runId = `ledger-${Date.now().toString(36)}`;
const admin = { email: "admin@ledger.e2e.skjold.test", password: "ledger-e2e-admin-password" };
const ownerPassword = "ledger-e2e-owner-password";

describe("a broken residency ledger in the portal", () => {
  const dbName = `skjold_ledger_${randomBytes(5).toString("hex")}`;
  const dbUrl = Object.assign(new URL(PG_ADMIN_URL), { pathname: `/${dbName}` }).toString();
  const dataRoot = path.resolve(import.meta.dirname, `../.skjold/${runId}`);
  let lock: { release(): void } | undefined;
  let portal: ManagedProcess | undefined;
  let db: Database;
  let browser: Browser;
  let adminCtx: BrowserContext;
  let ownerCtx: BrowserContext;
  let slug = "";
  let original = "";

  const adminSql = async (sql: string, url = PG_ADMIN_URL) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  /** What a DBA does: bypass the append-only trigger for one session. */
  const asDba = (sql: string) => adminSql(`SET session_replication_role = replica; ${sql}; SET session_replication_role = DEFAULT;`, dbUrl);

  async function signIn(email: string, password: string, locale?: string): Promise<BrowserContext> {
    const ctx = await browser.newContext({ baseURL: portal!.baseUrl, acceptDownloads: true });
    if (locale) await ctx.addCookies([{ name: "skjold_locale", value: locale, url: portal!.baseUrl! }]);
    const r = await ctx.request.post("/api/v1/auth/session", { data: { email, password } });
    expect(r.status(), await r.text()).toBe(200);
    return ctx;
  }
  async function open(ctx: BrowserContext, url: string): Promise<Page> {
    const page = await ctx.newPage();
    await page.goto(url);
    return page;
  }

  beforeAll(async () => {
    await adminSql(`CREATE DATABASE ${dbName}`);
    lock = await holdBuildLockShared();
    portal = await startPortal({
      databaseUrl: dbUrl,
      secretKey: randomBytes(32).toString("base64"),
      runId,
      name: "portal",
      adminEmail: admin.email,
      adminPassword: admin.password,
      dataDir: dataRoot,
    });
    db = await openDatabase({ kind: "postgres", url: dbUrl, poolSize: 2 });
    const { principal: owner } = await makeUser(db.prisma, { password: ownerPassword, email: `owner-${runId}@example.no` });
    const team = await makeTeam(db.prisma, [{ userId: owner.userId, role: "OWNER" }]);
    slug = team.slug;
    for (const [n, region] of [
      [1, "osl1"],
      [2, "bgo1"],
      [3, "osl1"],
    ] as const) {
      await recordDataLocation({
        prisma: db.prisma,
        teamId: team.id,
        resourceKind: "VM_DISK",
        resourceId: `vm-${n}`,
        resourceName: `web${n}`,
        regionCode: region,
        hostName: `${region}-h1`,
      });
    }
    original = (await db.prisma.dataLocation.findUniqueOrThrow({ where: { seq: 2n } })).hostName!;
    browser = await launchBrowser();
    adminCtx = await signIn(admin.email, admin.password);
    ownerCtx = await signIn(owner.email, ownerPassword, "nb");
  });

  afterAll(async () => {
    await browser?.close();
    await db?.close();
    await stopProcesses([portal]);
    lock?.release();
    await adminSql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    rmSync(dataRoot, { recursive: true, force: true });
  });

  it("raises the alarm for the admin and the owner and marks the pages and downloads once a verification finds the edit", async () => {
    await asDba(`UPDATE "DataLocation" SET "hostName" = 'somewhere-else' WHERE seq = 2`);
    const verify = await adminCtx.request.post("/api/v1/admin/residency/verify", { headers: { origin: portal!.baseUrl! } });
    expect(await verify.json()).toMatchObject({ ok: false, brokenAt: { seq: "2", problem: "content" } });

    const adminHome = await open(adminCtx, "/admin");
    expect(await adminHome.getByTestId("ledger-alarm").textContent()).toMatch(
      /^The residency ledger is broken at entry #2 \(found .* UTC\)/,
    );
    await adminHome.getByTestId("ledger-alarm").getByRole("link", { name: "Details" }).click();
    await adminHome.waitForURL("**/admin/residency");
    expect(await adminHome.getByTestId("ledger-broken").textContent()).toMatch(
      /found ledger entry #2 altered: its content no longer matches its hash/,
    );
    await screenshot(adminHome, "residency-ledger-broken-admin");
    await adminHome.close();

    const ownerTeams = await open(ownerCtx, "/teams");
    expect(await ownerTeams.getByTestId("ledger-alarm").textContent()).toMatch(/^Datalokasjonsloggen er brutt ved oppføring #2/);
    await ownerTeams.getByTestId("ledger-alarm").getByRole("link", { name: "Detaljer" }).click();
    await ownerTeams.waitForURL(`**/teams/${slug}/residency`);
    expect(await ownerTeams.getByTestId("ledger-integrity").getAttribute("data-status")).toBe("broken");
    expect(await ownerTeams.getByTestId("ledger-broken").textContent()).toMatch(
      /oppføring #2 i loggen er endret: innholdet stemmer ikke lenger med hashen/,
    );
    const [file] = await Promise.all([ownerTeams.waitForEvent("download"), ownerTeams.getByRole("link", { name: /CSV/ }).click()]);
    expect(file.suggestedFilename()).toMatch(/-seq3-LEDGER-BROKEN\.csv$/);
    const csv = await readFile((await file.path())!, "utf8");
    expect(csv.split("\r\n")[0]).toMatch(/^# LEDGER BROKEN at entry seq 2 \(content\)/);
    await screenshot(ownerTeams, "residency-ledger-broken-owner");
    await ownerTeams.close();
  });

  it("stops the alarm when the admin acknowledges the break with a reason, and keeps the mark", async () => {
    const page = await open(adminCtx, "/admin/residency");
    const form = page.getByTestId("acknowledge-form");
    await form
      .getByLabel("Reason (what was done, or why the entry cannot be restored)")
      .fill("Entry 2 edited by mistake during maintenance; restoring it from last night's backup.");
    await form.getByRole("button", { name: "Acknowledge the break" }).click();
    await expect.poll(() => page.getByText("Break acknowledged: the alarm stops.").count()).toBe(1);
    await page.goto("/admin");
    expect(await page.getByTestId("ledger-alarm").count()).toBe(0);
    await page.close();

    const owner = await open(ownerCtx, `/teams/${slug}/residency`);
    expect(await owner.getByTestId("ledger-alarm").count()).toBe(0);
    expect(await owner.getByTestId("ledger-integrity").getAttribute("data-status")).toBe("broken");
    expect(await owner.getByTestId("ledger-acknowledged").textContent()).toMatch(
      /^Kvittert av admin@ledger\.e2e\.skjold\.test .*: Entry 2 edited by mistake/,
    );
    const json = await ownerCtx.request.get(`/api/v1/teams/${slug}/residency/report?format=json`);
    expect(json.headers()["x-skjold-ledger-integrity"]).toMatch(/^broken; first-bad-seq=2; .*; acknowledged-at=/);
    await owner.close();
  });

  it("clears the mark once the row is restored and the owner verifies the ledger", async () => {
    await asDba(`UPDATE "DataLocation" SET "hostName" = '${original}' WHERE seq = 2`);
    const page = await open(ownerCtx, `/teams/${slug}/residency`);
    await page.getByTestId("verify-form").getByRole("button").click();
    await expect.poll(() => page.getByTestId("ledger-integrity").getAttribute("data-status")).toBe("verified");
    expect(await page.getByTestId("ledger-verified").textContent()).toMatch(/^Verifisert: hashkjeden for oppføring 1–3 holder/);
    const json = await ownerCtx.request.get(`/api/v1/teams/${slug}/residency/report?format=json`);
    expect(json.headers()["x-skjold-ledger-integrity"]).toMatch(/^verified; through-seq=3/);
    expect((await json.json()).integrity.status).toBe("verified");
    await screenshot(page, "residency-ledger-restored");
    await page.close();
  });
});
