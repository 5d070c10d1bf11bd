import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freeLoopbackPort } from "./lab";

// A second sshd with the lab host's own configuration (users, authorized keys) on a port of the
// test's own, so a test can stop it (an outage) or give it another host key (a reinstalled host)
// without disturbing the shared lab sshd on 2201 that other suites use at the same time.

export class TwinSshd {
  readonly dir: string;
  readonly key: string;
  readonly log: string;
  port = 0;
  private pid = 0;
  constructor(prefix = "skjold-twin-sshd-") {
    this.dir = mkdtempSync(path.join(tmpdir(), prefix));
    this.key = path.join(this.dir, "host_key");
    this.log = path.join(this.dir, "sshd.log");
  }
  async start(): Promise<void> {
    this.port ||= await freeLoopbackPort();
    const base = readFileSync("/var/lib/skjold-lab/sshd_config", "utf8")
      .split("\n")
      .filter((l) => !/^(Port|HostKey|PidFile)\b/.test(l));
    writeFileSync(
      path.join(this.dir, "sshd_config"),
      [...base, `Port ${this.port}`, `HostKey ${this.key}`, `PidFile ${this.dir}/sshd.pid`, "LogLevel VERBOSE", ""].join("\n"),
    );
    rmSync(`${this.dir}/sshd.pid`, { force: true });
    writeFileSync(this.log, "");
    const r = spawnSync("/usr/sbin/sshd", ["-f", path.join(this.dir, "sshd_config"), "-E", this.log]);
    if (r.status !== 0) throw new Error(`sshd did not start: ${r.stderr}`);
    for (let i = 0; i < 50 && !this.pid; i++) {
      try {
        this.pid = Number(readFileSync(`${this.dir}/sshd.pid`, "utf8").trim());
      } catch {
        await new Promise((res) => setTimeout(res, 100));
      }
    }
  }
  get running(): boolean {
    return this.pid !== 0;
  }
  stop(): void {
    if (!this.pid) return;
    // The listener and its connection children, as a reboot would: open sessions drop too.
    const children = spawnSync("pgrep", ["-P", String(this.pid)], { encoding: "utf8" })
      .stdout.split("\n")
      .filter(Boolean)
      .map(Number);
    for (const pid of [this.pid, ...children]) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        /* already gone */
      }
    }
    this.pid = 0;
  }
  useKey(privateKeyFile: string): void {
    copyFileSync(privateKeyFile, this.key);
    copyFileSync(`${privateKeyFile}.pub`, `${this.key}.pub`);
  }
}

/** The SHA256 fingerprint `ssh-keygen -lf` prints for a public key file. */
export function fingerprintOf(pubFile: string): string {
  return spawnSync("ssh-keygen", ["-lf", pubFile], { encoding: "utf8" }).stdout.split(" ")[1]!;
}
