import { fromZod } from "../core/errors";
import { buildHardenScript } from "./harden-script";
import { guestHardeningSchema, type GuestHardeningInput } from "./inputs";
import { parseChangedMarkers, runRootScript, type GuestShell, type Privilege } from "./shell";

export type HardenGuestResult = {
  /** false when the guest already matched: nothing was written, reloaded or set. */
  changed: boolean;
  /** What changed, e.g. `file:/etc/nftables.conf`, `sysctl:net.ipv4.tcp_syncookies`, `user`. */
  changes: string[];
  notes: string[];
  /** SSH commands used: always one. */
  roundTrips: number;
};

/** Applies guest hardening in ONE batched script over ONE SSH exec. Safe to repeat. */
export async function hardenGuest(opts: GuestHardeningInput & { shell: GuestShell; privilege?: Privilege }): Promise<HardenGuestResult> {
  const { shell, privilege, ...input } = opts;
  const parsed = guestHardeningSchema.safeParse(input);
  if (!parsed.success) throw fromZod(parsed.error, "Invalid hardening options");
  const { stdout } = await runRootScript({ shell, privilege, script: buildHardenScript(parsed.data), what: "Guest hardening" });
  if (!stdout.includes("SKJOLD_DONE")) {
    throw new Error("guest hardening script ended without its completion marker");
  }
  const changes = parseChangedMarkers(stdout);
  const notes = stdout
    .split("\n")
    .filter((l) => l.startsWith("SKJOLD_NOTE "))
    .map((l) => l.slice(12));
  return { changed: changes.length > 0, changes, notes, roundTrips: 1 };
}
