import { describe, expect, it } from "vitest";
import { checksumRefusal } from "@/lib/vms/backup/backup-chain";

// The check a restore runs before it touches the VM: every file of the chain as its target reads it
// now against the sha256 recorded when the backup was taken.

const sum = (c: string) => c.repeat(64);
const chain = [
  { id: "aaaaaaaa-0000-4000-8000-000000000001", volume: "b1.qcow2", sha256: sum("a") },
  { id: "bbbbbbbb-0000-4000-8000-000000000002", volume: "b2.qcow2", sha256: sum("b") },
];
const check = (found: [string, string | null][]) =>
  checksumRefusal({ vmName: "web-1", targetName: "osl-backups", chain, found: new Map(found) });

describe("a backup chain's checksums before a restore", () => {
  it("passes when every file reads as recorded", () => {
    expect(
      check([
        [chain[0]!.id, sum("a")],
        [chain[1]!.id, sum("b")],
      ]),
    ).toBeNull();
  });

  it("refuses a changed file in words, naming the backup, the target and both checksums", () => {
    const refusal = check([
      [chain[0]!.id, sum("a")],
      [chain[1]!.id, sum("c")],
    ]);
    expect(refusal).toMatchObject({
      code: "CONFLICT",
      key: "error.backup.tampered",
      message: `Backup bbbbbbbb of web-1 on osl-backups does not match the checksum recorded when it was taken (recorded ${sum("b")}, now ${sum("c")}): it was changed or damaged, so nothing was restored.`,
    });
  });

  it("refuses a file that is gone, and a backup recorded without a checksum", () => {
    expect(
      check([
        [chain[0]!.id, null],
        [chain[1]!.id, sum("b")],
      ]),
    ).toMatchObject({
      key: "error.backup.fileMissing",
      message: "Backup aaaaaaaa of web-1 is no longer on osl-backups: nothing was restored.",
    });
    const unrecorded = checksumRefusal({
      vmName: "web-1",
      targetName: "osl-backups",
      chain: [{ ...chain[0]!, sha256: null }],
      found: new Map([[chain[0]!.id, sum("a")]]),
    });
    expect(unrecorded).toMatchObject({ key: "error.backup.tampered" });
  });
});
