import { randomBytes, randomInt } from "node:crypto";
import { AppError } from "../core/errors";
import { targetLabel } from "../ssh/target";
import { writeRemoteFile } from "../ssh/sftp";
import { openVirshSession, runVirsh, withRemoteTempDir, type HostContext } from "./virsh";
import { buildDomainXml } from "./xml/domain";

export type Accelerator = "kvm" | "tcg";

// /dev/kvm existing proves nothing (nested KVM here starts, prints nothing and pauses). The probe
// boots a tiny transient domain from a kernel with no root disk and reads its serial console,
// through the SSH connection, until the kernel has run all the way to its "no root fs" panic.
const KERNEL_RAN = /Kernel panic - not syncing|VFS: Unable to mount root/;

export interface ProbeAcceleratorOptions extends HostContext {
  /** a bootable kernel on the host, e.g. the guest image's vmlinuz */
  kernelPath: string;
  /** how long one attempt may take to reach the panic; TCG needs a few seconds */
  attemptTimeoutMs?: number;
}

/** Returns "kvm" when a KVM guest really runs on the host, else "tcg" when a software one does. */
export async function probeAccelerator(opts: ProbeAcceleratorOptions): Promise<Accelerator> {
  await sweepStaleProbeDomains(opts);
  const kvmOffered =
    (await runVirsh({ ...opts, args: ["domcapabilities", "--virttype", "kvm"], step: "probe accelerator", allowFailure: true })).code === 0;
  if (kvmOffered && (await guestRuns(opts, "kvm"))) return "kvm";
  if (await guestRuns(opts, "qemu")) return "tcg";
  throw new AppError(
    "HOST_COMMAND_FAILED",
    `${targetLabel(opts.target)}: probe accelerator: neither a KVM nor a TCG guest ran on this host`,
  );
}

// A probe domain is created `--autodestroy` from an interactive virsh that stays open while the
// console is read: libvirt destroys it when that virsh exits, also when the prober dies or its SSH
// connection drops, and also when the create hangs (qemu stuck starting, as KVM can be on nested
// hosts) and returns only after the prober gave up. Its name carries its start time, so a probe
// domain that outlived all that (an older Skjold made them without --autodestroy) is swept by the
// next probe once it is older than any probe can run.
const PROBE_NAME = /^skjold-probe-(?:kvm|qemu)-(?:([0-9a-z]{6,8})-)?[0-9a-f]{8}$/;
const PROBE_MAX_AGE_MS = 10 * 60_000;
const DOMAIN_STATE_LINE = /^(running|idle|paused|in shutdown|shut off|crashed|pmsuspended)\s*$/m;

export function probeDomainName(type: "kvm" | "qemu", now = Date.now()): string {
  return `skjold-probe-${type}-${Math.floor(now / 1000).toString(36)}-${randomBytes(4).toString("hex")}`;
}

/** Probe domains among `names` that no running probe can own any more (older than 10 minutes, or unnamed by time). */
export function staleProbeDomains(names: readonly string[], now = Date.now()): string[] {
  return names.filter((name) => {
    const m = PROBE_NAME.exec(name);
    if (!m) return false;
    if (!m[1]) return true; // an older Skjold's name, without a start time: never an autodestroy domain
    return now - parseInt(m[1], 36) * 1000 > PROBE_MAX_AGE_MS;
  });
}

/** Destroys probe domains left on the host by probes that could not clean up. Returns their names. */
async function sweepStaleProbeDomains(ctx: HostContext, now = Date.now()): Promise<string[]> {
  const list = await runVirsh({ ...ctx, args: ["list", "--all", "--name"], step: "sweep probe domains" });
  const stale = staleProbeDomains(
    list.stdout
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean),
    now,
  );
  for (const name of stale) await endProbeDomain(ctx, name, "sweep probe domains");
  return stale;
}

type Attempt = { kind: "ran"; ran: boolean } | { kind: "refused"; why: string } | { kind: "hung" };

async function guestRuns(opts: ProbeAcceleratorOptions, type: "kvm" | "qemu"): Promise<boolean> {
  const step = `probe accelerator (${type})`;
  for (let attempt = 0; attempt < 3; attempt++) {
    const name = probeDomainName(type);
    const port = randomInt(40_000, 49_999);
    const xml = buildDomainXml({
      name,
      type,
      vcpus: 1,
      memoryMiB: 128,
      kernel: { kernelPath: opts.kernelPath, cmdline: "console=ttyS0 panic=-1 loglevel=4" },
      serialTcpPort: port,
      description: "Skjold accelerator probe (transient, destroyed with the virsh that made it)",
      // The kernel panics (no root disk) and panic=-1 reboots it: the domain then ends by itself.
      onReboot: "destroy",
    });
    const outcome = await withRemoteTempDir({ ...opts, step }, async (dir): Promise<Attempt> => {
      const file = `${dir}/probe.xml`;
      await writeRemoteFile({ pool: opts.pool, target: opts.target, path: file, content: xml, step });
      const session = await openVirshSession({ ...opts, step });
      try {
        session.send(["create", "--autodestroy", file]);
        session.send(["domstate", name]);
        const answered = await session.waitFor(
          (o) => DOMAIN_STATE_LINE.test(o.stdout) || o.stderr.includes(`failed to get domain '${name}'`),
          opts.attemptTimeoutMs ?? 45_000,
        );
        if (!answered) return { kind: "hung" };
        const out = session.output();
        if (!DOMAIN_STATE_LINE.test(out.stdout)) return { kind: "refused", why: virshError(out.stderr) };
        return { kind: "ran", ran: await readConsoleUntil(opts, port, opts.attemptTimeoutMs ?? 45_000) };
      } finally {
        await session.close();
        await endProbeDomain(opts, name, step);
      }
    });
    if (outcome.kind === "ran") return outcome.ran;
    if (outcome.kind === "refused" && /Address already in use/i.test(outcome.why)) continue;
    if (type === "kvm") return false; // KVM refused or hung: that is an answer, not a failure
    throw new AppError(
      "HOST_COMMAND_FAILED",
      `${targetLabel(opts.target)}: ${step}: ${outcome.kind === "hung" ? "virsh create did not answer" : `virsh create failed: ${outcome.why}`}`,
    );
  }
  return false;
}

function virshError(stderr: string): string {
  return stderr
    .replace(/^error:\s*/gim, "")
    .split("\n")
    .filter(Boolean)
    .filter((l) => !/^failed to get domain/.test(l))
    .slice(-2)
    .join(" | ")
    .slice(0, 400);
}

/** Destroys a probe domain and checks it is gone (a destroy can fail while qemu is still starting). */
async function endProbeDomain(ctx: HostContext, name: string, step: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const state = await runVirsh({ ...ctx, args: ["domstate", "--", name], step, allowFailure: true });
    if (state.code !== 0) return; // no such domain (any more)
    await runVirsh({ ...ctx, args: ["destroy", "--", name], step, allowFailure: true });
    await new Promise((r) => setTimeout(r, 500 * i));
  }
}

async function readConsoleUntil(ctx: HostContext, port: number, timeoutMs: number): Promise<boolean> {
  const ssh = await ctx.pool.connection(ctx.target, "probe accelerator: read console");
  const channel = await ssh.forwardOut("127.0.0.1", 0, "127.0.0.1", port);
  return new Promise<boolean>((resolve) => {
    let seen = "";
    const finish = (ran: boolean) => {
      clearTimeout(timer);
      channel.removeAllListeners("data");
      channel.close();
      resolve(ran);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    channel.on("data", (chunk: Buffer) => {
      seen = (seen + chunk.toString("latin1")).slice(-4096);
      if (KERNEL_RAN.test(seen)) finish(true);
    });
    channel.on("close", () => finish(KERNEL_RAN.test(seen)));
  });
}
