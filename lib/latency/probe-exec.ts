import type { PrismaClient } from "../generated/prisma/client";
import { assertHostUsable, hostTarget, sharedSshPool } from "../hosts/host-target";
import type { SshPool } from "../ssh/pool";
import type { ProbeExec } from "./round";

// The real `exec` for runProbeRound: the host's pooled SSH connection, with its pinned host key.
// The Host row is read again for every round, so a key that changed (KEY_MISMATCH) or was never
// confirmed stops probing from that host at once; that failure is stored as the host's samples'
// reason like any other unreachable host.

export interface SshProbeExecOptions {
  prisma: PrismaClient;
  /** defaults to the process-wide pool every other host operation shares */
  pool?: SshPool;
}

export function sshProbeExec(opts: SshProbeExecOptions): ProbeExec {
  return async (host, _command, argv) => {
    const row = await opts.prisma.host.findUniqueOrThrow({ where: { id: host.id } });
    assertHostUsable(row);
    const pool = opts.pool ?? sharedSshPool();
    // The pool's command timeout (60 s) outlasts the script's worst case (20 probes: about 25 s);
    // runProbeRound bounds each host by that worst case itself.
    return pool.exec({ target: hostTarget(row), argv, step: "probe latency", allowFailure: true });
  };
}
