import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import { placeVm, type PlacementHost } from "@/lib/placement/place-vm";
import { capacityRefusal } from "@/lib/vms/order/capacity-refusal";
import { LOCALES, type MessageKey } from "@/app/_i18n/dictionaries";
import { orderRefusalText, placementReasonText, placementText } from "@/app/_i18n/order-refusal";
import { jobErrorText } from "@/app/_i18n/lib-text";
import { placeWarmGuest } from "@/lib/placement/warm-pool";

const GIB = 2 ** 30;

function host(name: string, over: Partial<PlacementHost> = {}): PlacementHost {
  return {
    id: `id-${name}`,
    name,
    regionCode: "osl1",
    status: "ONLINE",
    draining: false,
    cpuCount: 8,
    memoryMb: 16_384,
    vcpuOvercommit: 1,
    usedVcpus: 0,
    usedMemoryMb: 0,
    pools: [{ id: `pool-${name}`, name: "nvme", availableBytes: BigInt(500 * GIB) }],
    imagePoolIds: [`pool-${name}`],
    freePorts: 100,
    networkMode: "ROUTED",
    networkProblem: null,
    addressProblem: null,
    ...over,
  };
}

const request = { regionCode: "osl1", vcpus: 2, memoryMb: 4096, diskGb: 50 };

describe("placeVm", () => {
  it("spread takes the least loaded host, pack the most loaded one that still fits", () => {
    const hosts = [
      host("a", { usedVcpus: 4, usedMemoryMb: 8192 }),
      host("b", { usedVcpus: 1, usedMemoryMb: 1024 }),
      host("c", { usedVcpus: 6, usedMemoryMb: 4096 }),
    ];
    const spread = placeVm({ hosts, request, strategy: "spread" });
    const pack = placeVm({ hosts, request, strategy: "pack" });
    expect(spread.ok && spread.hostName).toBe("b");
    expect(pack.ok && pack.hostName).toBe("c"); // 8 of 8 vCPUs after placing: full but fits
    expect(spread.ok && spread.explanation).toMatch(/^b: least loaded host that fits \(38 % after placing; 2 other hosts also fit\)/);
  });

  it("counts vCPU overcommit, memory, pool space and free ports", () => {
    expect(placeVm({ hosts: [host("a", { usedVcpus: 7 })], request, strategy: "spread" }).ok).toBe(false);
    expect(placeVm({ hosts: [host("a", { usedVcpus: 7, vcpuOvercommit: 2 })], request, strategy: "spread" }).ok).toBe(true);
    const mem = placeVm({ hosts: [host("a", { usedMemoryMb: 14_000 })], request, strategy: "spread" });
    expect(mem).toMatchObject({
      ok: false,
      verdicts: [{ host: "a", fits: false, reason: "memory full (14000 of 16384 MiB in use, 4096 needed)" }],
    });
    const disk = placeVm({
      hosts: [host("a", { pools: [{ id: "pool-a", name: "nvme", availableBytes: 20 * GIB }] })],
      request,
      strategy: "spread",
    });
    expect(disk.ok ? "" : disk.explanation).toContain("pool nvme has 20 GiB free, 50 needed");
    expect(placeVm({ hosts: [host("a", { networkMode: "USER_FORWARD", freePorts: 0 })], request, strategy: "spread" }).ok).toBe(false);
  });

  it("refuses hosts in another region, offline, draining, undiscovered or without the image, and says why", () => {
    const hosts = [
      host("other", { regionCode: "bgo1" }),
      host("off", { status: "OFFLINE" }),
      host("changed", { status: "KEY_MISMATCH" }),
      host("drain", { draining: true }),
      host("new", { cpuCount: null }),
      host("noimg", { imagePoolIds: [] }),
    ];
    const r = placeVm({ hosts, request, strategy: "pack" });
    expect(r.ok).toBe(false);
    expect(r.verdicts.map((v) => `${v.host}: ${v.reason}`)).toEqual([
      "other: in region bgo1, not osl1",
      "off: offline: Skjold cannot reach it over SSH",
      "changed: stopped: its SSH host key changed and an admin must check it",
      "drain: draining",
      "new: capacity not discovered yet",
      "noimg: does not have the image",
    ]);
    expect(r).toMatchObject({ cause: "no-room" }); // "noimg" is healthy: it lacks the image, that is no room
    expect(r.explanation).toMatch(/^No host in osl1 can take this VM \(other: in region bgo1/);
    expect(placeVm({ hosts: [], request, strategy: "spread" }).explanation).toBe("No host in osl1 can take this VM (no hosts).");
  });

  it("picks the pool with the image and the most space, and breaks ties by host name", () => {
    const h = host("a", {
      pools: [
        { id: "p1", name: "small", availableBytes: 60 * GIB },
        { id: "p2", name: "big", availableBytes: 900 * GIB },
        { id: "p3", name: "noimage", availableBytes: 5000 * GIB },
      ],
      imagePoolIds: ["p1", "p2"],
    });
    expect(placeVm({ hosts: [h], request, strategy: "spread" })).toMatchObject({ ok: true, poolId: "p2" });
    const tie = placeVm({ hosts: [host("zeta"), host("alpha")], request, strategy: "spread" });
    expect(tie.ok && tie.hostName).toBe("alpha");
  });

  it("lets a policy hook refuse a host with its own reason", () => {
    const r = placeVm({
      hosts: [host("a"), host("b")],
      request,
      strategy: "spread",
      policy: (h) => (h.name === "a" ? "outside the team's residency policy" : null),
    });
    expect(r).toMatchObject({ ok: true, hostName: "b" });
    expect(r.verdicts[0]).toEqual({ host: "a", fits: false, reason: "outside the team's residency policy" });
  });
});

describe("placeVm and public addresses", () => {
  it("refuses a routed or bridged host whose network is not ready or whose pools are full, and says so", () => {
    const r = placeVm({
      hosts: [
        host("a", { networkProblem: "uplink: the host has no interface uplink" }),
        host("b", { addressProblem: "its IPv4 pools are full" }),
        host("c", { networkMode: "USER_FORWARD", freePorts: 0 }),
      ],
      request,
      strategy: "spread",
    });
    expect(r.ok).toBe(false);
    expect(r.verdicts.map((v) => v.reason)).toEqual([
      "network not ready (uplink: the host has no interface uplink)",
      "no public address: its IPv4 pools are full",
      "no free SSH forward port",
    ]);
  });

  it("does not count forwarded ports on a host that gives guests their own addresses", () => {
    expect(placeVm({ hosts: [host("a", { freePorts: 0 })], request, strategy: "spread" }).ok).toBe(true);
  });
});

describe("refusals name their cause", () => {
  const since = new Date("2026-12-07T11:02:31Z");
  const region = { name: "Oslo", code: "osl1" };
  const order = { region, plan: { name: "Nano" }, image: { name: "Debian 12" } };
  const refuse = (hosts: PlacementHost[]) => {
    const placed = placeVm({ hosts, request, strategy: "spread" });
    if (placed.ok) throw new Error("placed");
    return { placed, err: capacityRefusal({ ...order, placed }) };
  };
  const translate = (locale: keyof typeof LOCALES, err: AppError) =>
    orderRefusalText({
      t: (key: MessageKey, vars?: Record<string, string>) =>
        Object.entries(vars ?? {}).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, v), LOCALES[locale][key]),
      details: err.details,
    });

  it("says the region's only host is offline since when, not that it has no room, in both languages", () => {
    const { placed, err } = refuse([host("osl-kvm-01", { status: "OFFLINE", unhealthySince: since })]);
    expect(placed.cause).toBe("no-healthy-host");
    expect(placed.verdicts[0]).toMatchObject({ problem: "offline", since: since.toISOString() });
    expect(err.code).toBe("NO_CAPACITY");
    expect(err.message).toBe(
      "Oslo (osl1) has no healthy host right now (osl-kvm-01: offline since 2026-12-07 11:02 UTC: Skjold cannot reach it over SSH). " +
        "Nothing was ordered; try another region, or try again once an operator has brought a host back.",
    );
    expect(err.message).not.toContain("no room");
    expect(translate("en", err)).toBe(
      "Oslo (osl1) has no healthy host right now (osl-kvm-01 is offline since 2026-12-07 11:02 UTC: Skjold cannot reach it over SSH). " +
        "Nothing was ordered; try another region, or try again once an operator has brought a host back.",
    );
    expect(translate("nb", err)).toBe(
      "Oslo (osl1) har ingen frisk vert akkurat nå (osl-kvm-01 er frakoblet siden 2026-12-07 11:02 UTC: Skjold når den ikke over SSH). " +
        "Ingenting ble bestilt; prøv en annen region, eller prøv igjen når en operatør har fått en vert tilbake.",
    );
  });

  it("names a key mismatch, draining and a network not ready host by host", () => {
    const { err } = refuse([
      host("a", { status: "KEY_MISMATCH", unhealthySince: since }),
      host("b", { draining: true }),
      host("c", { networkProblem: "uplink: eth9 does not exist" }),
    ]);
    expect(err.message).toContain("a: stopped since 2026-12-07 11:02 UTC: its SSH host key changed and an admin must check it");
    expect(err.message).toContain("b: draining; c: network not ready (uplink: eth9 does not exist)");
    expect(translate("nb", err)).toContain(
      "a er stoppet siden 2026-12-07 11:02 UTC: SSH-vertsnøkkelen er endret, og en administrator må sjekke den; b tømmes; c: nettverket er ikke klart",
    );
  });

  it("says no room when a healthy host is full, even beside an unhealthy one", () => {
    const { placed, err } = refuse([host("full", { usedVcpus: 8 }), host("off", { status: "OFFLINE" })]);
    expect(placed.cause).toBe("no-room");
    expect(err.message).toMatch(
      /^Oslo \(osl1\) has no room for a Nano VM with Debian 12 right now\. No host in osl1 can take this VM \(full: vCPUs full/,
    );
    expect(err.message).toContain("off: offline: Skjold cannot reach it over SSH");
    expect(translate("nb", err)).toMatch(
      /^Oslo \(osl1\) har ikke plass til en Nano-VM med Debian 12 akkurat nå \(full: vCPU-ene er fulle \(8 av 8 i bruk, 2 trengs\); off er frakoblet: /,
    );
  });

  it("says a region without hosts has none, and leaves other errors' wording alone", () => {
    const { placed, err } = refuse([host("elsewhere", { regionCode: "bgo1" })]);
    expect(placed.cause).toBe("no-hosts");
    expect(err.message).toBe("Oslo (osl1) has no hosts to place VMs on yet. Nothing was ordered; try another region.");
    expect(translate("en", new AppError("QUOTA_EXCEEDED", "x", { details: { vcpus: 2 } }))).toBeNull();
  });
});

describe("placement's refusal in the reader's language", () => {
  const t = (locale: "en" | "nb") => (key: MessageKey, vars?: Record<string, string>) =>
    Object.entries(vars ?? {}).reduce((out, [k, v]) => out.replaceAll(`{${k}}`, v), LOCALES[locale][key] as string);
  const since = new Date("2026-12-07T11:02:00Z");
  const hosts = [
    host("other", { regionCode: "fra1" }),
    host("off", { status: "OFFLINE", unhealthySince: since }),
    host("off2", { status: "OFFLINE" }),
    host("err", { status: "ERROR", unhealthySince: since }),
    host("key", { status: "KEY_MISMATCH" }),
    host("pending", { status: "PENDING_KEY" }),
    host("drain", { draining: true }),
    host("new", { cpuCount: 0 }),
    host("noimg", { imagePoolIds: [] }),
    host("cpu", { usedVcpus: 8 }),
    host("mem", { usedMemoryMb: 16_000 }),
    host("disk", { pools: [{ id: "pool-disk", name: "nvme", availableBytes: BigInt(3 * GIB) }], imagePoolIds: ["pool-disk"] }),
    host("ports", { networkMode: "USER_FORWARD", freePorts: 0 }),
    host("net", { networkProblem: "bridge br0 missing" }),
    host("addr", { addressProblem: "pool edge is full" }),
  ];

  it("has Norwegian for every reason placeVm writes, and reads its English back unchanged", () => {
    const refused = placeVm({ hosts, request, strategy: "spread" });
    if (refused.ok) throw new Error("expected a refusal");
    const warm = placeWarmGuest({ hosts: [host("routed"), host("busy", { networkMode: "USER_FORWARD", freePorts: 1 })], request });
    if (warm.ok) throw new Error("expected a refusal");
    const fits = placeVm({ hosts: [host("a")], request, strategy: "spread" }).verdicts;
    const reasons = [...refused.verdicts, ...warm.verdicts, ...fits].map((v) => v.reason);
    expect(reasons).toHaveLength(18);
    expect(reasons.filter((r) => placementReasonText(r, t("nb")) === r)).toEqual([]);
    expect(reasons.filter((r) => placementReasonText(r, t("en")) !== r)).toEqual([]);
    expect(placementText(refused.explanation, t("en"))).toBe(refused.explanation);
    const nb = placementText(refused.explanation, t("nb"))!;
    expect(nb).toMatch(
      /^Ingen vert i osl1 kan ta denne VM-en \(other: i regionen fra1, ikke osl1; off: frakoblet siden 2026-12-07 11:02 UTC: /,
    );
    expect(nb).toContain("cpu: vCPU-ene er fulle (8 av 8 i bruk, 2 trengs)");
    // As a provisioning job stores it (place.ts throws the explanation), and as the VM's rollback quotes it.
    expect(jobErrorText(`place: ${refused.explanation} (gave up after 3 attempts)`, t("nb"))).toBe(
      `${LOCALES.nb["jobStep.place"]}: ${nb} (ga opp etter 3 forsøk)`,
    );
  });
});
