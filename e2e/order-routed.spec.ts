import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPair } from "@/lib/ssh/keygen";
import { getNetLab, inNetns, sshFromClient } from "@/tests/helpers/net-lab";
import { launchBrowser } from "./harness/browser";
import { type OrderPortal, startOrderPortal } from "./harness/order-portal";

// A VM with its own addresses, as a tenant meets it: ordered in Chromium on the network lab's routed
// host, its page shows its public IPv4 and its IPv6 (with the /64 routed to it); from the client
// namespace (the internet side) OpenSSH logs in straight to both addresses, no jump and no account on
// the host, with StrictHostKeyChecking=yes against a host key whose fingerprint matches the page's.

describe("ordering a VM with public addresses (routed host)", () => {
  let portal: OrderPortal;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const slug = `routed-${Date.now().toString(36)}`;
  const vmName = `pub-${Date.now().toString(36).slice(-5)}`;
  const key = generateKeyPair({ comment: "ola@laptop" });
  const net = getNetLab();
  let vmId = "";
  const api = async (method: string, url: string, data?: unknown) => {
    const r = await context.request.fetch(`${portal.baseUrl}${url}`, { method, data, headers: { origin: portal.baseUrl } });
    return { status: r.status(), body: (await r.json().catch(() => null)) as Record<string, any> | null };
  };

  beforeAll(async () => {
    portal = await startOrderPortal({ host: "routed" });
    browser = await launchBrowser();
    context = await browser.newContext({ baseURL: portal.baseUrl });
    const signIn = await context.request.post("/api/v1/auth/session", {
      data: { email: portal.adminEmail, password: portal.adminPassword },
    });
    expect(signIn.ok()).toBe(true);
    expect((await api("POST", "/api/v1/teams", { name: "Nordlys Hosting AS", slug })).status).toBe(201);
    expect((await api("POST", "/api/v1/account/keys", { name: "laptop", publicKey: key.publicKey })).status).toBe(201);
    page = await context.newPage();
  });
  afterAll(async () => {
    if (vmId) await api("DELETE", `/api/v1/teams/${slug}/vms/${vmId}`).catch(() => undefined);
    await browser?.close();
    await portal?.stop();
  });

  it("orders in the browser and the page shows the VM's own IPv4 and IPv6", { timeout: 900_000 }, async () => {
    await page.goto(`/teams/${slug}/order`);
    await page.getByTestId("plan-picker").getByRole("radio", { name: /Nano/ }).check();
    await page.getByLabel("Hostname").fill(vmName);
    await page.getByRole("button", { name: "Order VM" }).click();
    await page.waitForURL(new RegExp(`/teams/${slug}/vms/[0-9a-f-]{36}$`));
    vmId = new URL(page.url()).pathname.split("/").pop()!;
    const progress = page.getByTestId("job-progress");
    await expect
      .poll(() => progress.getAttribute("data-job-state"), { timeout: 840_000, interval: 1_000 })
      .toMatch(/^(SUCCEEDED|FAILED|CANCELLED)$/);
    const steps = await progress.locator("tr[data-step]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-step")));
    expect(steps).toContain("host-network");
    expect(await progress.getAttribute("data-job-state"), (await progress.textContent()) ?? "").toBe("SUCCEEDED");
    await page.reload();
    expect(await page.getByTestId("vm-state").textContent()).toBe("running");
    const routed = net.hosts.find((h) => h.mode === "routed")!;
    const ipv4 = (await page.getByTestId("vm-address").textContent())!.trim();
    const ipv6Text = (await page.getByTestId("vm-ipv6").textContent())!;
    const ipv6 = ipv6Text.split(/\s/)[0]!;
    // Addresses from the routed host's pools: the first IPv4 is the pool's, the IPv6 is ::1 of a /64.
    expect(ipv4.startsWith(routed.ipv4.cidr.replace(/\.\d+\/\d+$/, "."))).toBe(true);
    expect(ipv6).toMatch(/^2001:db8:[0-9a-f:]+::1$/);
    expect(ipv6Text).toMatch(/\/64/);
    expect(await page.getByTestId("ssh-command").textContent()).toBe(`ssh skjold@${ipv4}`);
    expect(await page.getByTestId("ssh-command-ipv6").textContent()).toBe(`ssh skjold@${ipv6}`);
    await page.screenshot({ path: ".skjold/screenshots/vm-public-addresses.png", fullPage: true });
    const body = (await api("GET", `/api/v1/teams/${slug}/vms/${vmId}`)).body!.vm as Record<string, unknown>;
    expect(body).toMatchObject({ ipAddress: ipv4, ipv6Address: ipv6 });
  });

  it("lets OpenSSH on the internet side log in straight to both addresses, the host key checked against the page", async () => {
    const fingerprint = (await page.getByTestId("guest-host-key").textContent())!.trim();
    for (const address of [
      (await page.getByTestId("vm-address").textContent())!.trim(),
      (await page.getByTestId("vm-ipv6").textContent())!.split(/\s/)[0]!,
    ]) {
      // What a careful tenant does: fetch the key, compare its fingerprint with the portal's, pin it.
      const scan = inNetns(net.client.netns, ["ssh-keyscan", "-T", "15", "-t", "ed25519", address]);
      const line = scan.stdout.split("\n").find((l) => l.startsWith(`${address} ssh-ed25519 `));
      expect(line, scan.stderr).toBeDefined();
      const hostPublicKey = line!.slice(address.length + 1);
      const printed = inNetns(net.client.netns, ["ssh-keygen", "-l", "-f", "-"], { input: `${line}\n` });
      expect(printed.stdout.split(" ")[1]).toBe(fingerprint);
      const r = sshFromClient({ net, address, user: "skjold", privateKey: key.privateKey, hostPublicKey, command: "hostname; id -un" });
      expect(r.status, `${address}: ${r.stderr}`).toBe(0);
      expect(r.stdout.trim().split("\n")).toEqual([vmName, "skjold"]);
    }
    // A key that is not the page's is refused: the pin is what OpenSSH checks.
    const other = generateKeyPair({ comment: "not-the-guest" });
    const wrong = sshFromClient({
      net,
      address: (await page.getByTestId("vm-address").textContent())!.trim(),
      user: "skjold",
      privateKey: key.privateKey,
      hostPublicKey: other.publicKey,
      command: "true",
    });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
  });

  it("deletes the VM and its addresses rest in quarantine", { timeout: 300_000 }, async () => {
    expect((await api("DELETE", `/api/v1/teams/${slug}/vms/${vmId}`)).status).toBe(202);
    await expect
      .poll(async () => (await api("GET", `/api/v1/teams/${slug}/vms/${vmId}`)).body?.vm?.state, { timeout: 280_000, interval: 1_000 })
      .toBe("DELETED");
    // Both units left the VM, each into the admin's quarantine, and the history says so.
    const events = await portal.db.prisma.addressEvent.findMany({ where: { vmId }, orderBy: { id: "asc" } });
    expect(events.map((e) => `${e.action} ${e.family}`).sort()).toEqual(["ASSIGN IPV4", "ASSIGN IPV6", "RELEASE IPV4", "RELEASE IPV6"]);
    const held = await portal.db.prisma.ipLease.findMany({ where: { address: { in: events.map((e) => e.address) } } });
    expect(held.length).toBe(2);
    for (const lease of held) {
      expect(lease.vmId).toBeNull();
      expect(lease.quarantineUntil!.getTime()).toBeGreaterThan(Date.now());
    }
    vmId = "";
  });
});
