import { spawn, spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { GuestShell } from "@/lib/guest/shell";

// A throwaway "guest" on this machine for scripts that must run as root: new mount, network and PID
// namespaces; /etc, /home, /root, /var, /run and /usr/local are copy-on-write overlays on a tmpfs;
// the machine-wide kernel parameters (kernel.*, vm.*, fs.*) are plain files bound over /proc/sys so
// a script can set kernel.panic_on_oops without touching this host. net.* is the namespace's own.
// Nothing written inside survives stop(), and the host's files, firewall and kernel stay as they are.

const FAKE_SYSCTLS: Record<string, string> = {
  "kernel/randomize_va_space": "2",
  "kernel/yama/ptrace_scope": "0",
  "kernel/dmesg_restrict": "0",
  "kernel/kptr_restrict": "0",
  "kernel/panic": "0",
  "kernel/panic_on_oops": "0",
  "kernel/hostname": "sandbox",
  "kernel/ngroups_max": "65536",
  "vm/panic_on_oom": "0",
  "vm/overcommit_memory": "0",
  "fs/suid_dumpable": "2",
};

export type GuestSandbox = {
  shell: GuestShell;
  run(cmd: string): Promise<string>;
  /** Copies a local file into the sandbox byte for byte (what SFTP does for a real guest). */
  upload(opts: { localPath: string; remotePath: string }): Promise<void>;
  stop(): void;
  execCount(): number;
};

export async function startGuestSandbox(): Promise<GuestSandbox> {
  const dir = mkdtempSync(path.join(tmpdir(), "skjold-guest-"));
  const setup = [
    "set -e",
    `mount -t tmpfs tmpfs ${dir}`,
    `for d in /etc /home /root /var /run /usr/local; do mkdir -p ${dir}/up$d ${dir}/work$d; mount -t overlay overlay -o lowerdir=$d,upperdir=${dir}/up$d,workdir=${dir}/work$d $d; done`,
    ...Object.entries(FAKE_SYSCTLS).map(([k, v]) => `mkdir -p ${dir}/sys/$(dirname ${k}) && echo ${v} > ${dir}/sys/${k}`),
    `for d in kernel vm fs; do mount --bind ${dir}/sys/$d /proc/sys/$d; done`,
    "ip link set lo up",
    "echo READY",
    "exec sleep infinity",
  ].join("\n");
  const child = spawn(
    "unshare",
    ["--mount", "--net", "--pid", "--fork", "--mount-proc", "--kill-child", "--propagation", "private", "sh", "-c", setup],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d) => String(d).includes("READY") && resolve());
    child.on("exit", (code) => reject(new Error(`sandbox setup failed (${code}): ${err}`)));
  });
  // unshare --fork: the namespaces belong to unshare's child, whose pid is in /proc/<unshare>/task/*/children.
  const inner = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(" ")[0];
  let count = 0;
  const shell: GuestShell = {
    exec(cmd, opts) {
      count++;
      return new Promise((resolve) => {
        const p = spawn("nsenter", ["-t", String(inner), "-m", "-n", "-p", "--", "sh", "-c", cmd], { stdio: ["pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        p.stdout.on("data", (d) => (stdout += d));
        p.stderr.on("data", (d) => (stderr += d));
        p.on("close", (code) => resolve({ stdout, stderr, code: code ?? 1 }));
        p.stdin.on("error", () => {}); // a command that exits without reading stdin: its exit code tells
        p.stdin.end(opts?.stdin ?? "");
      });
    },
  };
  return {
    shell,
    async run(cmd) {
      const r = await shell.exec(cmd);
      count--;
      if (r.code !== 0) throw new Error(`sandbox command failed (${r.code}): ${cmd}\n${r.stderr}`);
      return r.stdout;
    },
    upload({ localPath, remotePath }) {
      return new Promise((resolve, reject) => {
        const p = spawn("nsenter", ["-t", String(inner), "-m", "-n", "-p", "--", "sh", "-c", 'cat > "$1"', "sh", remotePath], {
          stdio: ["pipe", "ignore", "pipe"],
        });
        p.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`upload to ${remotePath} failed (${code})`))));
        p.stdin.on("error", () => {});
        createReadStream(localPath).pipe(p.stdin);
      });
    },
    execCount: () => count,
    stop() {
      child.kill("SIGKILL");
      spawnSync("rmdir", [dir]);
    },
  };
}
