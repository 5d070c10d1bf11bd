import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import { computeDrift } from "@/lib/hosts/drift";
import { isHostOutage } from "@/lib/hosts/judge-host-outage";
import { computeOutageWaitMs, OUTAGE_RETRY_MAX_MS } from "@/lib/jobs/backoff";
import { decideAfterFailure, formatDuration, type Outage } from "@/lib/jobs/decide-after-failure";
import { connectError, hostKeyMismatch } from "@/lib/ssh/errors";
import { describeLeftovers, leftoversOf } from "@/lib/vms/provision/leftovers";
import { LOCALES, type MessageKey } from "@/app/_i18n/dictionaries";
import { vmEventText } from "@/app/_i18n/vm-outage-text";

// The decisions behind "short outages do not fail orders": when a job waits instead of spending its
// attempts, how long between tries, when it gives up, and what an incomplete rollback left behind.

const retry = { baseDelayMs: 2_000, maxDelayMs: 30_000 };
const outage: Outage = { key: "host-1", subject: "osl-kvm-01", since: new Date("2026-12-08T10:02:00Z"), limitMs: 15 * 60_000 };
const base = {
  error: "osl-kvm-01: clone disk: cannot connect over SSH (ECONNREFUSED)",
  transient: true,
  maxAttempts: 6,
  retry,
  random: () => 1,
};

describe("decideAfterFailure", () => {
  it("fails at once on a permanent error, outage or not (a changed host key is never waited for)", () => {
    expect(decideAfterFailure({ ...base, transient: false, attempts: 1, outage, waitedMs: null })).toEqual({
      action: "fail",
      error: base.error,
    });
  });

  it("retries a transient failure that is no outage with backoff, and gives up after the attempts", () => {
    expect(decideAfterFailure({ ...base, attempts: 1, outage: null, waitedMs: null })).toEqual({ action: "retry", delayMs: 2_000 });
    expect(decideAfterFailure({ ...base, attempts: 3, outage: null, waitedMs: null })).toEqual({ action: "retry", delayMs: 8_000 });
    expect(decideAfterFailure({ ...base, attempts: 6, outage: null, waitedMs: null })).toEqual({
      action: "fail",
      error: `${base.error} (gave up after 6 attempts)`,
    });
  });

  it("waits out an outage without regard to the attempts left, and says so once (the first failure)", () => {
    const first = decideAfterFailure({ ...base, attempts: 6, outage, waitedMs: null });
    expect(first).toEqual({ action: "wait", delayMs: 2_000, firstWait: true });
    const later = decideAfterFailure({ ...base, attempts: 6, outage, waitedMs: 4 * 60_000 });
    expect(later).toEqual({ action: "wait", delayMs: 60_000, firstWait: false });
  });

  it("fails as usual once the job has waited the admin's limit, saying how long it waited for whom", () => {
    const end = decideAfterFailure({ ...base, attempts: 1, outage, waitedMs: 15 * 60_000 + 300 });
    expect(end).toEqual({ action: "fail", error: `${base.error} (waited 15 min for osl-kvm-01 to answer again; the limit is 15 min)` });
  });

  it("does not wait when the limit is 0: the outage spends attempts like any transient failure", () => {
    const off = { ...outage, limitMs: 0 };
    expect(decideAfterFailure({ ...base, attempts: 1, outage: off, waitedMs: null })).toMatchObject({ action: "retry" });
    expect(decideAfterFailure({ ...base, attempts: 6, outage: off, waitedMs: null })).toMatchObject({ action: "fail" });
  });
});

describe("computeOutageWaitMs", () => {
  const at = (waitedMs: number, random = () => 1) => computeOutageWaitMs({ waitedMs, remainingMs: 3_600_000, random });

  it("tries again within seconds of a blip and about every minute in a long outage", () => {
    expect([0, 4_000, 8_000, 20_000, 60_000, 120_000].map((w) => at(w))).toEqual([2_000, 2_000, 2_000, 5_000, 15_000, 30_000]);
    expect(at(10 * 60_000)).toBe(OUTAGE_RETRY_MAX_MS);
    expect(at(60_000, () => 0)).toBe(7_500); // equal jitter keeps at least half
  });

  it("never sleeps past the end of the wait, so the last try comes at the limit", () => {
    expect(computeOutageWaitMs({ waitedMs: 10 * 60_000, remainingMs: 12_345, random: () => 1 })).toBe(12_345);
    expect(computeOutageWaitMs({ waitedMs: 10 * 60_000, remainingMs: 3, random: () => 1 })).toBe(250);
  });
});

describe("isHostOutage (what a job waits for)", () => {
  const sys = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:22`), { code });

  it("is a refused or timed-out connection, one reset, or a handshake the host dropped", () => {
    expect(isHostOutage(connectError("osl-kvm-01", "clone disk", sys("ECONNREFUSED")))).toBe(true);
    expect(isHostOutage(connectError("osl-kvm-01", "clone disk", sys("ETIMEDOUT")))).toBe(true);
    expect(isHostOutage(connectError("osl-kvm-01", "clone disk", sys("EHOSTUNREACH")))).toBe(true);
    const dropped = Object.assign(new Error("Connection lost before handshake"), { level: "protocol" });
    expect(isHostOutage(connectError("osl-kvm-01", "clone disk", dropped))).toBe(true);
    expect(isHostOutage(new AppError("HOST_UNREACHABLE", "x: y: connection lost while `virsh` ran", { transient: true }))).toBe(true);
  });

  it("is not a changed host key, a rejected login key, libvirtd down, a slow or failed command", () => {
    expect(isHostOutage(hostKeyMismatch({ label: "h", step: "s", expected: "SHA256:a", presented: "SHA256:b" }))).toBe(false);
    const auth = Object.assign(new Error("All configured authentication methods failed"), { level: "client-authentication" });
    expect(isHostOutage(connectError("h", "s", auth))).toBe(false);
    const libvirtd = new AppError("HOST_UNREACHABLE", "h: s: libvirtd is not running", {
      transient: true,
      details: { reason: "libvirtd-down" },
    });
    expect(isHostOutage(libvirtd)).toBe(false);
    expect(isHostOutage(new AppError("TIMEOUT", "h: s: `virsh` did not finish", { transient: true }))).toBe(false);
    expect(isHostOutage(new AppError("HOST_COMMAND_FAILED", "h: s: failed"))).toBe(false);
    expect(isHostOutage(new Error("ECONNREFUSED"))).toBe(false);
  });
});

describe("leftoversOf (what an incomplete rollback may have left)", () => {
  const vm = { domainName: "skj-1a2b", pool: "nvme", networkMode: "ROUTED" as const };
  const steps = (over: Record<string, { state: string; attempts?: number }>) =>
    ["reserve", "place", "allocate-port", "clone-disk", "build-seed", "host-network", "define-start", "wait-ssh"].map((key) => ({
      key,
      state: over[key]?.state ?? "PENDING",
      attempts: over[key]?.attempts ?? (over[key] ? 1 : 0),
    }));

  it("is nothing when the placement's sweep by name succeeded, or the VM was never placed", () => {
    expect(leftoversOf({ ...vm, steps: steps({ place: { state: "COMPENSATED" }, "clone-disk": { state: "SUCCEEDED" } }) })).toEqual([]);
    expect(leftoversOf({ ...vm, steps: steps({ place: { state: "FAILED" } }) })).toEqual([]);
  });

  it("names what every step that ran may have made and did not undo, when the sweep failed too", () => {
    const left = leftoversOf({
      ...vm,
      steps: steps({
        place: { state: "SUCCEEDED" },
        "clone-disk": { state: "SUCCEEDED" },
        "build-seed": { state: "COMPENSATED" },
        "host-network": { state: "SUCCEEDED" },
        "define-start": { state: "FAILED" },
      }),
    });
    expect(left).toEqual([
      { kind: "domain", name: "skj-1a2b" },
      { kind: "volume", pool: "nvme", name: "skj-1a2b.qcow2" },
      { kind: "tap", name: "sk1a2b" },
    ]);
    expect(describeLeftovers(left)).toBe("domain skj-1a2b, volume nvme/skj-1a2b.qcow2, tap sk1a2b (with its filter)");
  });

  it("names both volumes when version 3's clone-and-seed made them and could not undo them", () => {
    const v3 = ["reserve", "place", "allocate-port", "clone-and-seed", "host-network", "define-start"].map((key) => ({
      key,
      state: key === "place" || key === "clone-and-seed" ? "SUCCEEDED" : key === "host-network" ? "FAILED" : "PENDING",
      attempts: ["reserve", "place", "allocate-port", "clone-and-seed", "host-network"].includes(key) ? 1 : 0,
    }));
    expect(leftoversOf({ ...vm, networkMode: "USER_FORWARD", steps: v3 })).toEqual([
      { kind: "volume", pool: "nvme", name: "skj-1a2b.qcow2" },
      { kind: "volume", pool: "nvme", name: "skj-1a2b-seed.img" },
    ]);
  });

  it("counts a step interrupted while running (it may have made half), and no tap on a lab host", () => {
    const left = leftoversOf({
      ...vm,
      networkMode: "USER_FORWARD",
      steps: steps({
        place: { state: "SUCCEEDED" },
        "clone-disk": { state: "SUCCEEDED" },
        "build-seed": { state: "RUNNING" },
        "host-network": { state: "SUCCEEDED" },
      }),
    });
    expect(left.map((l) => l.name)).toEqual(["skj-1a2b.qcow2", "skj-1a2b-seed.img"]);
  });
});

describe("formatDuration", () => {
  it("says seconds, minutes and hours as operators write them", () => {
    expect([20_000, 60_000, 150_000, 900_000, 3_900_000, 86_400_000].map(formatDuration)).toEqual([
      "20 s",
      "1 min",
      "2 min 30 s",
      "15 min",
      "1 h 5 min",
      "24 h",
    ]);
  });
});

describe("computeDrift and failed VMs", () => {
  it("lists what a failed VM still has on its host as drift (a failed VM holds nothing there)", () => {
    const failed = {
      id: "v",
      name: "web",
      domainName: "skj-web",
      state: "FAILED",
      diskVolume: "skj-web.qcow2",
      seedVolume: "skj-web-seed.img",
    };
    const d = computeDrift({
      domains: [{ name: "skj-web", state: "shut off" }],
      domainDisks: { "skj-web": ["/p/skj-web.qcow2"] },
      volumes: [
        { pool: "nvme", name: "skj-web.qcow2", path: "/p/skj-web.qcow2" },
        { pool: "nvme", name: "skj-web-seed.img", path: "/p/skj-web-seed.img" },
      ],
      vms: [failed],
      imageVolumes: [],
      adopted: { domains: [], volumes: [] },
    });
    expect(d.unknownDomains).toMatchObject([{ name: "skj-web", volumes: [{ pool: "nvme", name: "skj-web.qcow2" }], cleanable: true }]);
    expect(d.orphanVolumes.map((v) => v.name)).toEqual(["skj-web-seed.img"]);
    expect(d.missingDomains).toEqual([]);
  });
});

describe("the VM's outage events in the reader's language", () => {
  const t = (locale: keyof typeof LOCALES) => (key: MessageKey, vars?: Record<string, string>) =>
    Object.entries(vars ?? {}).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, v), LOCALES[locale][key]);
  const waiting = {
    kind: "host-waiting",
    message: "Waiting for host osl-kvm-01: …",
    data: { host: "osl-kvm-01", since: "2026-12-08T10:02:31.000Z", limitSeconds: 900 },
  };
  const incomplete = {
    kind: "rollback-incomplete",
    message: "Provisioning failed: …",
    data: {
      cause: "osl-kvm-01: wait for the guest's SSH: cannot connect over SSH (ECONNREFUSED)",
      host: "osl-kvm-01",
      pool: "nvme",
      items: [
        { kind: "domain", name: "skj-1a2b" },
        { kind: "volume", pool: "nvme", name: "skj-1a2b.qcow2" },
      ],
    },
  };

  it("says it waits for the host, since when and how long, once, in English and Norwegian", () => {
    expect(vmEventText(waiting, t("en"))).toBe(
      "Waiting for host osl-kvm-01: unreachable since 2026-12-08 10:02 UTC. The job goes on when the host answers again (it waits up to 15 min).",
    );
    expect(vmEventText(waiting, t("nb"))).toBe(
      "Venter på verten osl-kvm-01: ikke tilgjengelig siden 2026-12-08 10:02 UTC. Jobben fortsetter når verten svarer igjen (den venter inntil 15 min).",
    );
    expect(vmEventText({ kind: "host-back", message: "x", data: { host: "osl-kvm-01" } }, t("nb"))).toBe(
      "Verten osl-kvm-01 svarer igjen; jobben fortsetter.",
    );
  });

  it("says the rollback is incomplete and what remains, never that it was rolled back", () => {
    const en = vmEventText(incomplete, t("en"));
    expect(en).toBe(
      "Provisioning failed: osl-kvm-01: wait for the guest's SSH: cannot connect over SSH (ECONNREFUSED). The rollback is incomplete: " +
        "domain skj-1a2b, volume nvme/skj-1a2b.qcow2 may remain on osl-kvm-01. Skjold removes them once osl-kvm-01 answers again.",
    );
    expect(vmEventText(incomplete, t("nb"))).toContain("Tilbakerullingen er ufullstendig: domenet skj-1a2b, volumet nvme/skj-1a2b.qcow2");
    const removed = { kind: "leftovers-removed", message: "x", data: { host: "osl-kvm-01", items: incomplete.data.items } };
    expect(vmEventText(removed, t("nb"))).toBe(
      "osl-kvm-01 svarer igjen: Skjold fjernet det den feilede klargjøringen hadde etterlatt der (domenet skj-1a2b, volumet nvme/skj-1a2b.qcow2).",
    );
  });

  it("keeps the stored English text for other events and for values it cannot read", () => {
    expect(vmEventText({ kind: "disk", message: "Disk skj-1.qcow2 on osl-kvm-01" }, t("nb"))).toBe("Disk skj-1.qcow2 on osl-kvm-01");
    expect(vmEventText({ kind: "host-waiting", message: "Waiting for host x", data: { host: 3 } }, t("nb"))).toBe("Waiting for host x");
  });
});
