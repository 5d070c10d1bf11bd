import { z } from "zod";
import { AppError } from "../core/errors";

// Strict parsers for virsh output. Host output is untrusted: every value is checked by zod and a
// line that does not fit is an error naming what was being read, never a silent guess.

export function parseKeyValueLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z][A-Za-z0-9 ()/._-]*?):\s*(.*)$/.exec(line.trim());
    if (m?.[1]) out[m[1]] = (m[2] ?? "").trim();
  }
  return out;
}

export function parseOrFail<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new AppError(
      "HOST_COMMAND_FAILED",
      `Unexpected output from the host while reading ${what}: ${r.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
    );
  return r.data;
}

/** `virsh list --name` / `pool-list --name`: one name per line. */
export function parseNameList(text: string, what: string): string[] {
  const names = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return parseOrFail(z.array(z.string().regex(/^[^\s\0]{1,255}$/)), names, what);
}

const UNITS: Record<string, number> = { B: 1, bytes: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40, PiB: 2 ** 50 };

/** "10.00 GiB" → bytes (virsh prints two decimals, so this is exact to 1/100 of the unit). */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|bytes|KiB|MiB|GiB|TiB|PiB)$/.exec(text.trim());
  if (!m?.[1] || !m[2]) throw new AppError("HOST_COMMAND_FAILED", `Unexpected size from the host: ${JSON.stringify(text.slice(0, 40))}`);
  return Math.round(Number(m[1]) * (UNITS[m[2]] ?? NaN));
}

export const DomainStateSchema = z.enum(["running", "idle", "paused", "in shutdown", "shut off", "crashed", "pmsuspended", "no state"]);
export type DomainState = z.infer<typeof DomainStateSchema>;
