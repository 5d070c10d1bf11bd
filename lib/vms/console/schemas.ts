import { z } from "zod";

// What a browser may send about a VM's console. Keystrokes come as small JSON posts: at most 4 KiB
// of text each (a paste is split by the page), the terminal's escape key (Ctrl+], which would end
// virsh's console instead of reaching the guest) removed before anything is written.

export const CONSOLE_INPUT_MAX = 4096;

export const ConsoleInputSchema = z.object({
  data: z.string().min(1).max(CONSOLE_INPUT_MAX),
});
export type ConsoleInput = z.infer<typeof ConsoleInputSchema>;

/** virsh console's escape character (Ctrl+]): typed through, it would disconnect the console. */
const VIRSH_ESCAPE = /\x1d/g;

/** The keystrokes as they are written to the serial console: virsh's escape character removed. */
export function consoleKeystrokes(data: string): string {
  return data.replace(VIRSH_ESCAPE, "");
}

/**
 * The console password for the guest's admin user: 12–128 characters with no control characters
 * (a newline would end chpasswd's line and start another user's). Never stored or logged by Skjold.
 */
export const ConsolePasswordSchema = z.object({
  password: z
    .string()
    .min(12)
    .max(128)
    .regex(/^[^\x00-\x1f\x7f]+$/, "must not contain control characters"),
});

/** The admin's idle limit for console sessions, in minutes (1 minute to 1 day). */
export const ConsoleIdleInput = z.object({
  idleMinutes: z.number().int().min(1).max(1440),
});
