// What a booting guest's serial console says, read as a person would: the text without the
// terminal's escape sequences, the last lines kept, and the lines that mean the guest cannot boot
// on its own. Pure: provisioning feeds it what `virsh console` printed (lib/libvirt/console.ts).

export type BootFailureKind = "no-bootable-device" | "kernel-panic" | "emergency-shell" | "grub-rescue";

export interface BootFailure {
  kind: BootFailureKind;
  /** the console line that says so, cleaned */
  line: string;
}

/** Console lines that mean the guest will not come up by waiting longer, by what they mean. */
const BOOT_FAILURES: readonly { kind: BootFailureKind; pattern: RegExp; prompt?: true }[] = [
  // SeaBIOS ("No bootable device.  Retrying in 60 seconds.") and OVMF's boot manager
  { kind: "no-bootable-device", pattern: /\bNo bootable device\b/i },
  { kind: "no-bootable-device", pattern: /\bNo bootable option or device was found\b/i },
  // Linux: "Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)"
  { kind: "kernel-panic", pattern: /\bKernel panic - not syncing\b/ },
  // systemd's emergency and rescue targets, with or without a root password to give
  { kind: "emergency-shell", pattern: /\bYou are in (emergency|rescue) mode\b/ },
  { kind: "emergency-shell", pattern: /\bGive root password for maintenance\b/ },
  { kind: "emergency-shell", pattern: /\bCannot open access to console, the root account is locked\b/ },
  // Debian's initramfs when it cannot find or mount the root file system
  { kind: "emergency-shell", pattern: /\bDropping to a shell!/ },
  { kind: "emergency-shell", pattern: /^\(initramfs\)\s*$/, prompt: true },
  // GRUB that cannot find its own modules or configuration ("error: unknown filesystem." then the prompt)
  { kind: "grub-rescue", pattern: /^grub rescue>\s*$/, prompt: true },
];

/**
 * Which boot failure one cleaned console line names, or null. A line still being written (`partial`)
 * is read only for a prompt, which waits without a newline; any other line is read once it is whole.
 */
export function recogniseBootFailure(line: string, opts: { partial?: boolean } = {}): BootFailure | null {
  for (const { kind, pattern, prompt } of BOOT_FAILURES) {
    if (opts.partial && !prompt) continue;
    if (pattern.test(line)) return { kind, line: line.trim().slice(0, MAX_LINE) };
  }
  return null;
}

// ESC [ … final byte (CSI: colours, cursor moves, "erase line"), ESC ] … BEL or ESC \ (OSC: titles),
// ESC P/X/^/_ … ESC \ (strings), and the two- and three-byte ESC sequences (ESC c reset, ESC ( B).
const ESCAPES =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(\x1b\\)?|\x1b[ -/]*[0-~]?/g;
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
const MAX_LINE = 300;

/**
 * One console line as a person reads it: escape sequences and control characters removed, and of a
 * line rewritten in place with carriage returns (systemd's "A start job is running" spinner), what
 * the terminal shows last. Cut to 300 characters.
 */
export function cleanConsoleLine(raw: string): string {
  const noEscapes = raw.replace(ESCAPES, "");
  const shown =
    noEscapes
      .split("\r")
      .filter((part) => part.replace(CONTROLS, "").trim() !== "")
      .pop() ?? "";
  return shown.replace(/\t/g, "  ").replace(CONTROLS, "").trimEnd().slice(0, MAX_LINE);
}

export interface ConsoleTranscript {
  /** Adds what the console printed; returns the first boot failure it names (once), else null. */
  push(text: string): BootFailure | null;
  /** The last `n` lines (the one still being written included), blank runs kept as one blank line. */
  tail(n: number): string[];
}

/** A bounded transcript of a console: the last `keepLines` lines, each at most 300 characters. */
export function createConsoleTranscript(opts: { keepLines?: number } = {}): ConsoleTranscript {
  const keep = opts.keepLines ?? 200;
  const lines: string[] = [];
  let partial = "";
  let found: BootFailure | null = null;
  const add = (line: string) => {
    if (line === "" && lines.at(-1) === "") return;
    lines.push(line);
    if (lines.length > keep) lines.splice(0, lines.length - keep);
  };
  return {
    push(text) {
      const parts = (partial + text).split("\n");
      // A line still being written stays raw until its end arrives; a runaway one is cut.
      partial = (parts.pop() ?? "").slice(-4 * MAX_LINE);
      let first: BootFailure | null = null;
      for (const raw of parts) {
        const line = cleanConsoleLine(raw);
        add(line);
        first ??= recogniseBootFailure(line);
      }
      // A prompt waits without a newline ("(initramfs) ").
      first ??= recogniseBootFailure(cleanConsoleLine(partial), { partial: true });
      if (!first || found) return null;
      found = first;
      return first;
    },
    tail(n) {
      const current = cleanConsoleLine(partial);
      const all = current ? [...lines, current] : lines;
      const out = all.slice(-n);
      while (out[0] === "") out.shift();
      while (out.at(-1) === "") out.pop();
      return out;
    },
  };
}
