import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import type { SshTarget } from "@/lib/ssh/target";

// The lab libvirt host made by `scripts/lab-host up` and `scripts/build-guest-image`, as tests see it.

const LAB_JSON = "/var/lib/skjold-lab/lab.json";

const LabSchema = z.object({
  address: z.string(),
  port: z.number().int(),
  username: z.string(),
  privateKeyPath: z.string(),
  publicKey: z.string(),
  hostKeyFingerprint: z.string().startsWith("SHA256:"),
  pool: z.string(),
  poolPath: z.string(),
  image: z.object({
    volume: z.string(),
    path: z.string(),
    sha256: z.string(),
    kernelPath: z.string(),
    initrdPath: z.string(),
    cmdline: z.string(),
  }),
});

export type Lab = z.infer<typeof LabSchema> & { target: SshTarget };

export function getLab(): Lab {
  const hint = "run scripts/lab-host up && scripts/build-guest-image";
  if (!existsSync(LAB_JSON)) throw new Error(`No lab host: ${LAB_JSON} is missing (${hint})`);
  const parsed = LabSchema.safeParse(JSON.parse(readFileSync(LAB_JSON, "utf8")));
  if (!parsed.success)
    throw new Error(`Lab host incomplete (${hint}): ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`);
  const lab = parsed.data;
  const target: SshTarget = {
    label: "lab-host",
    host: lab.address,
    port: lab.port,
    username: lab.username,
    privateKey: readFileSync(lab.privateKeyPath, "utf8"),
    hostKeyFingerprint: lab.hostKeyFingerprint,
  };
  return { ...lab, target };
}

/** A loopback TCP port nobody listens on right now. */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * A second sshd with the lab's users and authorized keys but a DIFFERENT host key, as if the host
 * had been swapped or someone sat in the middle. Needs root (the tests run as root on the lab).
 */
export async function startImpostorSshd(): Promise<{ port: number; stop: () => void }> {
  const dir = mkdtempSync(path.join(tmpdir(), "skjold-impostor-"));
  const key = path.join(dir, "host_key");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]);
  const port = await freeLoopbackPort();
  const base = readFileSync("/var/lib/skjold-lab/sshd_config", "utf8")
    .split("\n")
    .filter((l) => !/^(Port|HostKey|PidFile)\b/.test(l));
  writeFileSync(path.join(dir, "sshd_config"), [...base, `Port ${port}`, `HostKey ${key}`, `PidFile ${dir}/sshd.pid`].join("\n"));
  const r = spawnSync("/usr/sbin/sshd", ["-f", path.join(dir, "sshd_config")]);
  if (r.status !== 0) throw new Error(`impostor sshd did not start: ${r.stderr}`);
  for (let i = 0; i < 50 && !existsSync(`${dir}/sshd.pid`); i++) await new Promise((res) => setTimeout(res, 100));
  const pid = Number(readFileSync(`${dir}/sshd.pid`, "utf8").trim());
  return {
    port,
    stop: () => {
      try {
        process.kill(pid);
      } catch {
        /* already gone */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Root-side view of the host (the lab is this machine): virsh as root, for checks behind the API. */
export function rootVirsh(...args: string[]): string {
  return execFileSync("virsh", ["-q", "-c", "qemu:///system", ...args], { encoding: "utf8" });
}

/** Stops libvirtd on the lab (SIGTERM, as an operator or a crash would). Running guests survive. */
export async function stopLibvirtd(): Promise<void> {
  const pid = Number(readFileSync("/run/libvirtd.pid", "utf8").trim());
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("libvirtd did not stop");
}

/** Starts libvirtd again the way scripts/lab-host does, and waits until it answers. */
export async function startLibvirtd(): Promise<void> {
  spawnSync("libvirtd", ["-d", "-f", "/var/lib/skjold-lab/libvirtd.conf"]);
  for (let i = 0; i < 100; i++) {
    if (spawnSync("virsh", ["-q", "-c", "qemu:///system", "version"]).status === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("libvirtd did not come back");
}
