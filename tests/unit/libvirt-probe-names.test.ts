import { describe, expect, it } from "vitest";
import { probeDomainName, staleProbeDomains } from "@/lib/libvirt/probe";

describe("probe domain names", () => {
  const now = Date.UTC(2026, 10, 30, 12, 0, 0);

  it("carry their start time, so a sweep can tell a running probe from a leftover", () => {
    const name = probeDomainName("kvm", now);
    expect(name).toMatch(/^skjold-probe-kvm-[0-9a-z]{6}-[0-9a-f]{8}$/);
    expect(staleProbeDomains([name], now + 9 * 60_000)).toEqual([]);
    expect(staleProbeDomains([name], now + 11 * 60_000)).toEqual([name]);
  });

  it("sweeps an older Skjold's untimed probe names and nothing that is not a probe's", () => {
    const young = probeDomainName("qemu", now);
    const names = [
      "skjold-probe-kvm-0a1b2c3d",
      young,
      "skj-0123456789ab",
      "skjold-probe-kvm-0a1b2c3d-extra",
      "tenant-vm",
      "skjold-probe-xen-0a1b2c3d",
    ];
    expect(staleProbeDomains(names, now + 60_000)).toEqual(["skjold-probe-kvm-0a1b2c3d"]);
  });
});
