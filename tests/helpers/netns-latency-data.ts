import { execFile } from "node:child_process";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { HostStatus, NetworkMode } from "@/lib/generated/prisma/enums";
import type { ExecResult, ProbeExec } from "@/lib/latency/round";

// Rows the latency tests need: regions and hosts. Hosts here are never dialled: the tests pass their
// own `exec`, so address and key are placeholders.

export async function makeRegion(prisma: PrismaClient, code: string, name = code) {
  return prisma.region.create({ data: { code, name, city: name, country: "NO", jurisdiction: "NO_EEA" } });
}

export async function makeHost(
  prisma: PrismaClient,
  opts: { name: string; regionId: string; status?: HostStatus; networkMode?: NetworkMode },
) {
  return prisma.host.create({
    data: {
      name: opts.name,
      regionId: opts.regionId,
      address: "127.0.0.1",
      username: "skjold",
      privateKeyEnc: "not-used-by-latency-tests",
      publicKey: "ssh-ed25519 AAAA test",
      status: opts.status ?? "ONLINE",
      networkMode: opts.networkMode,
    },
  });
}

/** Runs the command line in a real local shell, as a host's login shell would. */
export const localShellExec: ProbeExec = (_host, command) =>
  new Promise<ExecResult>((resolve) => {
    execFile("sh", ["-c", command], { maxBuffer: 8 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ stdout, stderr, code });
    });
  });
