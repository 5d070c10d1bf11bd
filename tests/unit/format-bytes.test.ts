import { describe, expect, it } from "vitest";
import { formatBytes, mib } from "@/components/format-bytes";

const GiB = 2 ** 30;

describe("formatBytes", () => {
  it("picks the largest unit with a figure of at least 1, one decimal below 100", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(mib(512))).toBe("512 MiB");
    expect(formatBytes(2 * GiB)).toBe("2.0 GiB");
    expect(formatBytes(1.5 * 2 ** 40)).toBe("1.5 TiB");
  });

  it("prints a fixed unit as host pages do: a decimal below 100, none from 100 on", () => {
    expect(formatBytes(19.5 * GiB, { unit: "GiB" })).toBe("19.5 GiB");
    expect(formatBytes(931.3 * GiB, { unit: "GiB" })).toBe("931 GiB");
    expect(formatBytes(100 * GiB, { unit: "GiB" })).toBe("100 GiB");
    expect(formatBytes(BigInt(2) ** 40n, { unit: "GiB" })).toBe("1024 GiB");
  });

  it("drops a zero fraction when asked, and the unit for text that names it", () => {
    expect(formatBytes(mib(2048), { unit: "GiB", decimals: 1, trim: true, bare: true })).toBe("2");
    expect(formatBytes(mib(512), { unit: "GiB", decimals: 1, trim: true, bare: true })).toBe("0.5");
    expect(formatBytes(mib(1000), { unit: "GiB", decimals: 1, trim: true, bare: true })).toBe("1");
    expect(formatBytes(mib(1126), { unit: "GiB", decimals: 1, trim: true })).toBe("1.1 GiB");
    expect(formatBytes(mib(16384), { trim: true })).toBe("16 GiB");
    expect(formatBytes(mib(2048), { unit: "GiB", decimals: 1, bare: true })).toBe("2.0");
  });

  it("rounds half up like the figures it replaced (Math.round of tenths)", () => {
    for (const mb of [256, 768, 1280, 1000, 2000, 3000, 4096, 65536, 100_000]) {
      const before = String(Math.round((mb / 1024) * 10) / 10);
      expect(formatBytes(mib(mb), { unit: "GiB", decimals: 1, trim: true, bare: true }), `${mb} MiB`).toBe(before);
    }
  });
});
