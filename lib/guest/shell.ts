import { z } from "zod";
import { AppError } from "../core/errors";

/** The one thing hardening needs from an SSH session: run a command, optionally feeding stdin. */
export type GuestShell = {
  exec(cmd: string, opts?: { stdin?: string }): Promise<{ stdout: string; stderr: string; code: number }>;
};

/** How a script gains root on the guest: through sudo as the admin user, or directly as root. */
const privilegeSchema = z.enum(["sudo", "root"]);
export type Privilege = z.infer<typeof privilegeSchema>;

/** Runs a whole script as root in ONE exec (one SSH round trip); the script arrives on stdin. */
export async function runRootScript(opts: {
  shell: GuestShell;
  script: string;
  privilege?: Privilege;
  what: string;
}): Promise<{ stdout: string; stderr: string }> {
  const cmd = opts.privilege === "root" ? "/bin/sh -s" : "sudo -n /bin/sh -s";
  const res = await opts.shell.exec(cmd, { stdin: opts.script });
  if (res.code !== 0) {
    const reason = lastLines(res.stderr || res.stdout, 5);
    throw new AppError("HOST_COMMAND_FAILED", `${opts.what} failed on the guest (exit ${res.code}): ${reason}`, {
      details: { exitCode: res.code },
    });
  }
  return { stdout: res.stdout, stderr: res.stderr };
}

function lastLines(text: string, n: number): string {
  return text.trim().split("\n").slice(-n).join(" | ") || "no output";
}

/** Collects the `SKJOLD_CHANGED <tag>` markers a script printed, in order, without duplicates. */
export function parseChangedMarkers(stdout: string): string[] {
  const tags = stdout
    .split("\n")
    .filter((l) => l.startsWith("SKJOLD_CHANGED "))
    .map((l) => l.slice("SKJOLD_CHANGED ".length).trim());
  return [...new Set(tags)];
}
