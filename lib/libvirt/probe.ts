import { randomBytes, randomInt } from "node:crypto";
import { AppError } from "../core/errors";
import { targetLabel } from "../ssh/target";
import { runVirsh, runVirshWithXml, type HostContext } from "./virsh";
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
  const kvmOffered = (await runVirsh({ ...opts, args: ["domcapabilities", "--virttype", "kvm"], step: "probe accelerator", allowFailure: true })).code === 0;
  if (kvmOffered && (await guestRuns(opts, "kvm"))) return "kvm";
  if (await guestRuns(opts, "qemu")) return "tcg";
  throw new AppError("HOST_COMMAND_FAILED", `${targetLabel(opts.target)}: probe accelerator: neither a KVM nor a TCG guest ran on this host`);
}

async function guestRuns(opts: ProbeAcceleratorOptions, type: "kvm" | "qemu"): Promise<boolean> {
  const name = `skjold-probe-${type}-${randomBytes(4).toString("hex")}`;
  const step = `probe accelerator (${type})`;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = randomInt(40_000, 49_999);
    const xml = buildDomainXml({
      name,
      type,
      vcpus: 1,
      memoryMiB: 128,
      kernel: { kernelPath: opts.kernelPath, cmdline: "console=ttyS0 panic=-1 loglevel=4" },
      serialTcpPort: port,
      description: "Skjold accelerator probe (transient)",
      // The kernel panics (no root disk) and panic=-1 reboots it: the domain then ends by itself,
      // so a probe whose caller died (lost SSH, killed process) leaves no guest spinning.
      onReboot: "destroy",
    });
    const created = await runVirshWithXml({ ...opts, args: ["create"], xml, step }).then(
      () => true,
      async (err: AppError) => {
        await endProbeDomain(opts, name, step); // a create that reported an error may still have left it running
        if (/Address already in use/i.test(err.message)) return false;
        if (type === "kvm") return null; // KVM refused to start: that is an answer, not a failure
        throw err;
      },
    );
    if (created === null) return false;
    if (!created) continue;
    try {
      return await readConsoleUntil(opts, port, opts.attemptTimeoutMs ?? 45_000);
    } finally {
      await endProbeDomain(opts, name, step);
    }
  }
  return false;
}

/** Destroys the transient probe domain and checks it is gone (a destroy can fail while qemu is still starting). */
async function endProbeDomain(opts: ProbeAcceleratorOptions, name: string, step: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await runVirsh({ ...opts, args: ["destroy", "--", name], step, allowFailure: true });
    const state = await runVirsh({ ...opts, args: ["domstate", "--", name], step, allowFailure: true });
    if (state.code !== 0) return; // no such domain any more
    await new Promise((r) => setTimeout(r, 500 * (i + 1)));
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
