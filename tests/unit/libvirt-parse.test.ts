import { describe, expect, it } from "vitest";
import { judgeNvme } from "@/lib/libvirt/discover";
import { parseKeyValueLines, parseNameList, parseSize } from "@/lib/libvirt/parse";

describe("virsh output parsers", () => {
  it("reads key: value tables", () => {
    expect(parseKeyValueLines("CPU model:           x86_64\nCPU(s):              2\nMemory size:         24576000 KiB\n")).toEqual({
      "CPU model": "x86_64",
      "CPU(s)": "2",
      "Memory size": "24576000 KiB",
    });
  });
  it("reads sizes and refuses what is not a size", () => {
    expect(parseSize("10.00 GiB")).toBe(10 * 2 ** 30);
    expect(parseSize("196.00 KiB")).toBe(196 * 1024);
    expect(parseSize("0.00 B")).toBe(0);
    expect(() => parseSize("lots")).toThrow(/Unexpected size/);
  });
  it("reads name lists and refuses names with spaces", () => {
    expect(parseNameList("a\nb-1\n\n", "domains")).toEqual(["a", "b-1"]);
  });
});

describe("judgeNvme", () => {
  it("says NVMe when the pool's disk is NVMe", () => {
    const r = judgeNvme({ path: "/var/lib/libvirt/images", source: "/dev/nvme0n1p2", lsblk: "nvme0n1p2 \nnvme0n1 nvme\n" });
    expect(r).toEqual({ nvme: true, storageNote: "NVMe: /var/lib/libvirt/images is on /dev/nvme0n1p2 (disk nvme0n1)" });
  });
  it("says plainly when it is not", () => {
    expect(judgeNvme({ path: "/p", source: "/dev/sda1", lsblk: "sda1 \nsda sata\n" })).toEqual({
      nvme: false,
      storageNote: "not NVMe: /p is on /dev/sda1 (disk sda, transport sata)",
    });
    expect(judgeNvme({ path: "/p", source: "overlay", lsblk: "" }).storageNote).toBe("not NVMe: /p is on overlay (no block device)");
  });
});
