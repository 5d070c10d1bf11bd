import { z } from "zod";
import type { NetworkMode } from "../../generated/prisma/enums";
import { isPublicMode, tapOf } from "../shared/vm-nic";
import { diskVolumeName, seedVolumeName } from "../shared/volume-names";

// What a provisioning rollback that could not reach the host may have left there, worked out from the
// job's steps (pure). The placement step's compensation is the final sweep: it removes everything the
// VM may have on its host by name, so while it succeeded nothing remains; when it failed, whatever a
// step that ran made and did not undo itself may still be there.

export const Leftover = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("domain"), name: z.string() }),
  z.object({ kind: z.literal("volume"), name: z.string(), pool: z.string() }),
  z.object({ kind: z.literal("tap"), name: z.string() }),
]);
export type Leftover = z.infer<typeof Leftover>;

/** As stored on the VM (`VirtualMachine.leftovers`). */
export const VmLeftovers = z.object({ host: z.string(), pool: z.string(), items: z.array(Leftover) });
export type VmLeftovers = z.infer<typeof VmLeftovers>;

export interface StepRecord {
  key: string;
  state: string;
  attempts: number;
}

export function leftoversOf(opts: {
  steps: readonly StepRecord[];
  domainName: string;
  pool: string;
  networkMode: NetworkMode;
}): Leftover[] {
  const { steps, domainName, pool } = opts;
  const step = (key: string) => steps.find((s) => s.key === key);
  // Never placed, or the sweep by name succeeded: nothing of the VM is on a host.
  if (step("place")?.state !== "SUCCEEDED") return [];
  const mayRemain = (key: string) => {
    const s = step(key);
    return s !== undefined && s.state !== "COMPENSATED" && (s.attempts > 0 || s.state === "SUCCEEDED" || s.state === "FAILED");
  };
  const items: Leftover[] = [];
  if (mayRemain("define-start")) items.push({ kind: "domain", name: domainName });
  // Version 3 makes the disk and the seed in one step (clone-and-seed); versions 1 and 2 in two.
  if (mayRemain("clone-disk") || mayRemain("clone-and-seed")) items.push({ kind: "volume", pool, name: diskVolumeName(domainName) });
  if (mayRemain("build-seed") || mayRemain("clone-and-seed")) items.push({ kind: "volume", pool, name: seedVolumeName(domainName) });
  if (isPublicMode(opts.networkMode) && mayRemain("host-network")) items.push({ kind: "tap", name: tapOf(domainName) });
  return items;
}

/** "domain skj-1, volume pool/skj-1.qcow2, tap sk1 (with its filter)": how messages list them. */
export function describeLeftovers(items: readonly Leftover[]): string {
  return items
    .map((i) =>
      i.kind === "volume" ? `volume ${i.pool}/${i.name}` : i.kind === "tap" ? `tap ${i.name} (with its filter)` : `domain ${i.name}`,
    )
    .join(", ");
}
