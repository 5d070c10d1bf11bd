import { AppError } from "../core/errors";
import type { HostContext } from "../libvirt/virsh";

// A VM boots from its disk only if the disk has a boot loader; an image made for direct kernel boot
// (like scripts/build-guest-image's: a bare ext4 file system) has none and needs its kernel and
// initrd named. Every BIOS boot sector, an MBR's and GPT's protective MBR alike, ends in 0x55 0xAA
// at offset 510; a bare file system has zeros there.

/** Pure: whether `qemu-io -c "read -v 510 2"` printed the boot signature (null: output not understood). */
export function parseBootSignature(stdout: string): boolean | null {
  const m = /^000001fe:\s+([0-9a-f]{2})\s+([0-9a-f]{2})\b/m.exec(stdout);
  if (!m) return null;
  return m[1] === "55" && m[2] === "aa";
}

/** Reads the guest-visible bytes 510–511 of a disk image on the host, read-only (shared with running clones). */
export async function hasBootSector(ctx: HostContext & { path: string; format: "qcow2" | "raw" }): Promise<boolean> {
  const r = await ctx.pool.exec({
    target: ctx.target,
    argv: ["qemu-io", "-r", "-U", "-f", ctx.format, "-c", "read -v 510 2", "--", ctx.path],
    step: "look for a boot loader",
    allowFailure: true,
    timeoutMs: 30_000,
  });
  const found = r.code === 0 ? parseBootSignature(r.stdout) : null;
  if (found === null) {
    const why = r.code === 127 ? "qemu-io is missing (install qemu-utils)" : (r.stderr.trim().split("\n")[0] ?? `exit ${r.code}`);
    throw new AppError("HOST_COMMAND_FAILED", `${ctx.target.label}: could not read the boot sector of ${ctx.path}: ${why}`);
  }
  return found;
}
