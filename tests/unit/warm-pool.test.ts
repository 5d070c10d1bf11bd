import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import { buildPersonaliseScript } from "@/lib/guest/personalise-script";
import type { PlacementHost } from "@/lib/placement/place-vm";
import { placeWarmGuest, warmShortfall } from "@/lib/placement/warm-pool";
import { generateKeyPair } from "@/lib/ssh/keygen";
import { instanceIdOf } from "@/lib/vms/provision/build-seed";
import { median } from "@/lib/vms/warm/list-warm-pools";
import { warmBackoffMs, warmPoolHealth } from "@/lib/vms/warm/pool-health";

const GIB = 2 ** 30;

function host(name: string, over: Partial<PlacementHost> = {}): PlacementHost {
  return {
    id: `id-${name}`,
    name,
    regionCode: "osl1",
    status: "ONLINE",
    draining: false,
    cpuCount: 4,
    memoryMb: 8_192,
    vcpuOvercommit: 1,
    usedVcpus: 0,
    usedMemoryMb: 0,
    pools: [{ id: `pool-${name}`, name: "nvme", availableBytes: BigInt(500 * GIB) }],
    imagePoolIds: [`pool-${name}`],
    freePorts: 100,
    networkMode: "USER_FORWARD",
    networkProblem: null,
    addressProblem: null,
    ...over,
  };
}

const nano = { regionCode: "osl1", vcpus: 1, memoryMb: 512, diskGb: 10 };

describe("warmShortfall", () => {
  it.each([
    [{ size: 0, ready: 0, warming: 0 }, 0],
    [{ size: 3, ready: 0, warming: 0 }, 3],
    [{ size: 3, ready: 1, warming: 1 }, 1],
    [{ size: 3, ready: 2, warming: 1 }, 0],
    // a pool made smaller than what it holds starts nothing (and never a negative number)
    [{ size: 1, ready: 2, warming: 1 }, 0],
  ])("%o lacks %i", (counts, lacking) => {
    expect(warmShortfall(counts)).toBe(lacking);
  });
});

describe("placeWarmGuest", () => {
  it("keeps room for one ordinary order of the same plan beside the warm guest", () => {
    expect(placeWarmGuest({ hosts: [host("a", { usedVcpus: 2 })], request: nano })).toMatchObject({ ok: true, hostId: "id-a" });
    // 3 of 4 vCPUs used: the warm guest would fit, but then an ordinary nano order would not.
    const full = placeWarmGuest({ hosts: [host("a", { usedVcpus: 3 })], request: nano });
    expect(full.ok).toBe(false);
    const memory = placeWarmGuest({ hosts: [host("a", { usedMemoryMb: 8_192 - 768 })], request: nano });
    expect(memory.ok).toBe(false);
  });

  it("needs two free forwarded ports, a user-mode host, and one that is online and not in drain", () => {
    expect(placeWarmGuest({ hosts: [host("a", { freePorts: 1 })], request: nano })).toMatchObject({
      ok: false,
      explanation: expect.stringContaining("no forwarded port would be left for an ordinary order"),
    });
    expect(placeWarmGuest({ hosts: [host("a", { networkMode: "ROUTED" })], request: nano })).toMatchObject({
      ok: false,
      explanation: expect.stringContaining("warm guests are kept on user-mode hosts only"),
    });
    expect(placeWarmGuest({ hosts: [host("a", { draining: true })], request: nano }).ok).toBe(false);
    expect(placeWarmGuest({ hosts: [host("a", { status: "OFFLINE" })], request: nano }).ok).toBe(false);
  });

  it("spreads warm guests to the least loaded host", () => {
    const placed = placeWarmGuest({ hosts: [host("a", { usedVcpus: 2 }), host("b", { usedVcpus: 1 })], request: nano });
    expect(placed).toMatchObject({ ok: true, hostName: "b" });
  });
});

describe("buildPersonaliseScript", () => {
  const key = generateKeyPair({ comment: "root@web-1" });
  const tenantKey = generateKeyPair({ comment: "tenant" }).publicKey;
  const mgmtKey = generateKeyPair({ comment: "skjold-mgmt" }).publicKey;
  const input = {
    hostname: "web-1",
    adminUser: "skjold",
    authorizedKeys: [tenantKey, mgmtKey],
    instanceId: "skj-0123456789ab-m1",
    hostKey: key,
    machineId: "0123456789abcdef0123456789abcdef",
    entropy: Buffer.alloc(32, 7).toString("base64"),
    randomSeed: Buffer.alloc(32, 9).toString("base64"),
  };

  it("removes every old host key before installing the new one, and reloads sshd last", () => {
    const script = buildPersonaliseScript(input);
    const rm = script.indexOf("for k in /etc/ssh/ssh_host_*; do");
    const mv = script.indexOf("mv /etc/ssh/.skjold-new-host-key /etc/ssh/ssh_host_ed25519_key");
    expect(rm).toBeGreaterThan(0);
    expect(mv).toBeGreaterThan(rm);
    expect(script.lastIndexOf("systemctl reload ssh")).toBeGreaterThan(script.indexOf("/var/lib/cloud/data/instance-id"));
    expect(script).toMatch(/^hn='?web-1'?; iid='?skj-0123456789ab-m1'?; mid='?0123456789abcdef0123456789abcdef'?$/m);
    // The private key is not on any command line in clear: it travels base64-encoded in the script on stdin.
    expect(script).not.toContain("OPENSSH PRIVATE KEY");
  });

  it("writes the admin user's authorized_keys as the tenant's key then the management key, nothing else of the hardening", () => {
    const script = buildPersonaliseScript(input);
    const put = script.split("\n").find((l) => l.startsWith('put "$home/.ssh/authorized_keys"'));
    expect(put).toBeDefined();
    const b64 = put!.split(" ").at(-1)!.replace(/'/g, "");
    expect(Buffer.from(b64, "base64").toString()).toBe(`${tenantKey}\n${mgmtKey}\n`);
    expect(put).toMatch(/ '?600'? '?skjold'? "\$grp" /);
    // The hardening itself ran when the guest warmed: no sysctl, firewall or sshd drop-in here.
    expect(script).not.toMatch(/sysctl -w|nft -f|sshd_config\.d/);
    expect(script.indexOf("authorized_keys")).toBeLessThan(script.lastIndexOf("systemctl reload ssh"));
  });

  it.each([
    ["adminUser", "root"],
    ["adminUser", "a;b"],
    ["authorizedKeys", ["ssh-ed25519 AAAA; rm -rf /"]],
    ["authorizedKeys", []],
    ["hostname", "web;reboot"],
    ["hostname", "$(id)"],
    ["instanceId", "a b"],
    ["machineId", "not-hex"],
    ["entropy", "'; rm -rf / #"],
  ])("refuses a hostile %s", (field, value) => {
    expect(() => buildPersonaliseScript({ ...input, [field]: value })).toThrow(AppError);
  });
});

describe("instanceIdOf and median", () => {
  it("gives a warm guest handed to a team a new instance id, stable for that hand-over", () => {
    const at = new Date("2026-12-07T18:00:00Z");
    expect(instanceIdOf({ domainName: "skj-a", warmClaimedAt: null })).toBe("skj-a");
    expect(instanceIdOf({ domainName: "skj-a", warmClaimedAt: at })).toBe(instanceIdOf({ domainName: "skj-a", warmClaimedAt: at }));
    expect(instanceIdOf({ domainName: "skj-a", warmClaimedAt: at })).not.toBe("skj-a");
  });

  it("takes the middle value, or the mean of the two middle ones", () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

describe("a failing warm pool's backoff", () => {
  const now = new Date("2026-12-09T12:00:00Z");
  const ago = (s: number) => new Date(now.getTime() - s * 1000);
  const boot = (state: string, secondsAgo: number) => ({
    state,
    finishedAt: ago(secondsAgo),
    lastError: state === "FAILED" ? `e${secondsAgo}` : null,
  });

  it("waits a minute after one failure, doubling to half an hour", () => {
    expect([0, 1, 2, 3, 5, 6, 40].map(warmBackoffMs)).toEqual([0, 60_000, 120_000, 240_000, 960_000, 1_800_000, 1_800_000]);
  });

  it("counts the failures in a row since the last success or the admin's last change, the newest first", () => {
    const boots = [boot("FAILED", 10), boot("CANCELLED", 20), boot("FAILED", 30), boot("SUCCEEDED", 40), boot("FAILED", 50)];
    expect(warmPoolHealth({ boots, since: ago(3600), now })).toEqual({
      failures: 2,
      lastError: "e10",
      lastFailureAt: ago(10),
      retryAt: new Date(ago(10).getTime() + 120_000),
    });
    expect(warmPoolHealth({ boots, since: ago(25), now }).failures).toBe(1);
    expect(warmPoolHealth({ boots: [boot("SUCCEEDED", 5), ...boots], since: ago(3600), now })).toMatchObject({
      failures: 0,
      retryAt: null,
    });
    // The wait is over: still failing, free to boot.
    expect(warmPoolHealth({ boots: [boot("FAILED", 61)], since: ago(3600), now })).toMatchObject({ failures: 1, retryAt: null });
  });
});
