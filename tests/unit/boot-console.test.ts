import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LOCALES, type MessageKey } from "@/app/_i18n/dictionaries";
import { storedErrorText } from "@/app/_i18n/lib-text";
import { vmEventText } from "@/app/_i18n/vm-outage-text";
import { errorMessage } from "@/lib/core/error-text";
import { cleanConsoleLine, createConsoleTranscript, recogniseBootFailure } from "@/lib/guest/boot-console";

// The console samples are what `virsh console` printed on the lab host (QEMU 7.2 under TCG, SeaBIOS
// 1.16.2, the lab image's Debian 12 cloud kernel), with virsh's own header removed:
// - seabios-no-bootable-device: the lab image's volume booted from its disk (it has no boot loader)
// - kernel-panic-no-root: its kernel without initrd or disk
// - initramfs-shell: its kernel and initrd with root=/dev/vdz (no such disk), rootdelay=5
// - systemd-emergency: the image booted with systemd.unit=emergency.target (root account locked)
const sample = (name: string) => readFileSync(path.join(__dirname, "boot-console-fixtures", `${name}.txt`), "utf8");

/** Feeds a sample in small pieces, as a console delivers it, and returns the first failure and the tail. */
function replay(text: string, piece = 7) {
  const t = createConsoleTranscript();
  let first = null;
  for (let i = 0; i < text.length; i += piece) {
    const found = t.push(text.slice(i, i + piece));
    first ??= found;
  }
  return { first, tail: t.tail(40) };
}

describe("reading a booting guest's console", () => {
  it("recognises SeaBIOS finding no bootable device on a disk without a boot loader", () => {
    const { first, tail } = replay(sample("seabios-no-bootable-device"));
    expect(first).toEqual({ kind: "no-bootable-device", line: "No bootable device." });
    // The reset and colour sequences SeaBIOS sends are gone; its words are kept.
    expect(tail).toEqual([
      "SeaBIOS (version 1.16.2-debian-1.16.2-1)",
      "Machine UUID 7a9f0be3-6f8a-4869-983b-b2076f275a60",
      "Booting from Hard Disk...",
      "Boot failed: not a bootable disk",
      "",
      "No bootable device.",
    ]);
  });

  it("recognises a kernel panic by its first line, with the reason", () => {
    const { first, tail } = replay(sample("kernel-panic-no-root"), 64);
    expect(first).toEqual({
      kind: "kernel-panic",
      line: "[    1.718557] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)",
    });
    expect(tail.at(-1)).toBe("[    1.724043] ---[ end Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0) ]---");
  });

  it("recognises the initramfs dropping to a shell when the root disk is missing", () => {
    const { first, tail } = replay(sample("initramfs-shell"));
    expect(first).toEqual({ kind: "emergency-shell", line: "ALERT!  /dev/vdz does not exist.  Dropping to a shell!" });
    expect(tail.slice(-2)).toEqual(["ALERT!  /dev/vdz does not exist.  Dropping to a shell!", "(initramfs)"]);
  });

  it("recognises systemd's emergency mode, not the lines that merely name the emergency service", () => {
    const { first, tail } = replay(sample("systemd-emergency"));
    expect(first).toEqual({
      kind: "emergency-shell",
      line: 'You are in emergency mode. After logging in, type "journalctl -xb" to view',
    });
    expect(tail).toContain("[  OK  ] Reached target emergency.target - Emergency Mode.");
    expect(tail.at(-1)).toBe("Press Enter to continue.");
  });

  it("says nothing about a boot that is merely slow: the kernel's lines up to the panic", () => {
    const text = sample("kernel-panic-no-root");
    const { first, tail } = replay(text.slice(0, text.indexOf("Kernel panic")));
    expect(first).toBeNull();
    expect(tail.length).toBe(40);
  });

  it("names a failure once, however often the console repeats it", () => {
    const t = createConsoleTranscript();
    expect(t.push("No bootable device.  Retrying in 60 seconds.\r\n")).toMatchObject({ kind: "no-bootable-device" });
    expect(t.push("No bootable device.  Retrying in 60 seconds.\r\n")).toBeNull();
  });

  it("sees a prompt that waits without a newline", () => {
    expect(createConsoleTranscript().push("Give root password for maintenance\r\n(or press Control-D to continue): ")).toMatchObject({
      kind: "emergency-shell",
      line: "Give root password for maintenance",
    });
    expect(createConsoleTranscript().push("\r\n(initramfs) ")).toEqual({ kind: "emergency-shell", line: "(initramfs)" });
  });

  it("sees GRUB's rescue prompt, as a disk whose boot loader lost its files prints it", () => {
    // What GRUB 2 prints on a serial console when its /boot/grub files are gone (written as GRUB words it, not captured here).
    const captured =
      "Booting from Hard Disk...\r\nGRUB loading.\r\nWelcome to GRUB!\r\n\r\nerror: file `/boot/grub/i386-pc/normal.mod' not found.\r\nEntering rescue mode...\r\ngrub rescue> ";
    const t = createConsoleTranscript();
    expect(t.push(captured)).toEqual({ kind: "grub-rescue", line: "grub rescue>" });
    expect(t.tail(2)).toEqual(["Entering rescue mode...", "grub rescue>"]);
    expect(recogniseBootFailure("grub rescue> ", { partial: true })).toEqual({ kind: "grub-rescue", line: "grub rescue>" });
    expect(recogniseBootFailure("echo grub rescue> is a prompt")).toBeNull();
  });

  it("cleans a line as a terminal shows it: escapes, rewritten spinners, control characters", () => {
    expect(cleanConsoleLine("\x1b[0;32m  OK  \x1b[0m] Started \x1b[0;1;39mssh.service\x1b[0m\r")).toBe("  OK  ] Started ssh.service");
    expect(cleanConsoleLine("[    *] A start job is running for /dev/vdb\r\x1b[K[   **] A start job is running for /dev/vdc")).toBe(
      "[   **] A start job is running for /dev/vdc",
    );
    expect(cleanConsoleLine("\x1b]0;title\x07bell\x07 and\tnul\x00")).toBe("bell and  nul");
    expect(cleanConsoleLine("x".repeat(1_000))).toHaveLength(300);
    expect(recogniseBootFailure("Started emergency.service - Emergency Shell.")).toBeNull();
  });

  it("keeps a bounded tail: the last lines, one blank line for a run of them", () => {
    const t = createConsoleTranscript({ keepLines: 5 });
    t.push(`${Array.from({ length: 50 }, (_, i) => `line ${i}`).join("\n")}\n\n\n\nlast`);
    // five whole lines, and the one still being written
    expect(t.tail(40)).toEqual(["line 46", "line 47", "line 48", "line 49", "", "last"]);
    const huge = createConsoleTranscript();
    huge.push("y".repeat(100_000));
    expect(huge.tail(40)).toEqual(["y".repeat(300)]);
  });

  it("words a failed boot in the reader's language: the VM's error, its boot-failed event and the rollback's cause", () => {
    const t = (locale: keyof typeof LOCALES) => (key: MessageKey, vars?: Record<string, string>) =>
      Object.entries(vars ?? {}).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, v), LOCALES[locale][key]);
    const reason = errorMessage("error.vm.bootNoDevice", { image: "debian-12" });
    expect(reason).toBe(
      "The guest found no bootable device on its disk: image debian-12 has no boot loader, so it must be registered with its kernel and initrd (Admin → Images)",
    );
    expect(storedErrorText(reason, t("nb"))).toMatch(/^Gjesten fant ingen oppstartbar enhet på disken sin: avbildningen debian-12 /);
    const failed = { kind: "failed", message: "x", data: { text: { key: "event.failed", params: { cause: reason } } } };
    expect(vmEventText(failed, t("en"))).toBe(`Provisioning failed and was rolled back: ${reason}`);
    expect(vmEventText(failed, t("nb"))).toContain("Gjesten fant ingen oppstartbar enhet");
    const panic = errorMessage("error.vm.bootKernelPanic", { line: "Kernel panic - not syncing: VFS: Unable to mount root fs" });
    expect(storedErrorText(panic, t("nb"))).toBe(
      "Gjestens kjerne fikk panikk under oppstart («Kernel panic - not syncing: VFS: Unable to mount root fs»); konsollens siste linjer står på VM-ens side",
    );
    const bootFailed = {
      kind: "boot-failed",
      message: "x",
      data: { text: { key: "event.bootFailed", params: { line: "No bootable device." } } },
    };
    expect(vmEventText(bootFailed, t("nb"))).toBe("Gjesten kan ikke starte: konsollen sier «No bootable device.»");
  });
});
