// The one way the portal prints a size. Binary units (1 GiB = 2^30 bytes), as libvirt counts them.

export type ByteUnit = "B" | "KiB" | "MiB" | "GiB" | "TiB";

const POWER: Record<ByteUnit, number> = { B: 0, KiB: 1, MiB: 2, GiB: 3, TiB: 4 };
const UNITS = Object.keys(POWER) as ByteUnit[];

/** Bytes from a figure the database keeps in MiB (a plan's or a VM's memory). */
export const mib = (n: number): number => n * 2 ** 20;

export interface FormatBytesOptions {
  /** The unit to print in; default: the largest whose figure is at least 1. */
  unit?: ByteUnit;
  /** Digits after the point; default: one below 100, none from 100 on (19.5 GiB, 931 GiB) or in bytes. */
  decimals?: number;
  /** Drop a fraction of zeros ("2 GiB", not "2.0 GiB"). */
  trim?: boolean;
  /** Without the unit, for text that names it itself ("4 of 8 GiB"). */
  bare?: boolean;
}

/** `formatBytes(2 ** 31)` → "2.0 GiB"; `formatBytes(mib(512), { trim: true })` → "512 MiB". */
export function formatBytes(bytes: number | bigint, opts: FormatBytesOptions = {}): string {
  const n = Number(bytes);
  const unit = opts.unit ?? [...UNITS].reverse().find((u) => Math.abs(n) >= 1024 ** POWER[u]) ?? "B";
  const value = n / 1024 ** POWER[unit];
  let text = value.toFixed(opts.decimals ?? (unit === "B" || Math.abs(value) >= 100 ? 0 : 1));
  if (opts.trim && text.includes(".")) text = text.replace(/\.?0+$/, "");
  return opts.bare ? text : `${text} ${unit}`;
}
