import { mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProbeScript, parseProbeOutput, type ScriptTarget } from "@/lib/latency";
import { createLatencyNetns, type LatencyNetns } from "../helpers/netns";
import { localShellExec } from "../helpers/netns-latency-data";

// The probe script in a real shell: what a host without iputils prints, host names resolved before
// timing, and hostile addresses refused before anything is built.

const local = { id: "", name: "local", regionId: "", address: "", port: 22, username: "" };

/** Runs the script with `env` as its whole environment (the test's own paths only). */
const run = async (targets: ScriptTarget[], env?: { PATH?: string; TMPDIR?: string }) => {
  const script = buildProbeScript({ targets });
  const vars = Object.entries(env ?? {}).map(([k, v]) => `${k}=${v}`);
  const command = env ? `env -i PATH=${env.PATH ?? "/usr/bin:/bin"} ${vars.join(" ")} ${script.command}` : script.command;
  const out = await localShellExec(local, command, script.argv);
  return { out, measurements: parseProbeOutput({ stdout: out.stdout, nonce: script.nonce, targets }).map((o) => o.measurement) };
};

let netns: LatencyNetns;
let bin: string;
beforeAll(async () => {
  netns = await createLatencyNetns({ delayMs: 10 });
  // A PATH with what a minimal Debian host has, minus iputils' ping.
  bin = mkdtempSync(path.join(tmpdir(), "skjold-noping-"));
  for (const tool of ["bash", "timeout", "mktemp", "rm", "cat", "getent", "tr", "cut", "sleep", "env"]) {
    symlinkSync(path.join("/usr/bin", tool), path.join(bin, tool));
  }
});
afterAll(async () => {
  await netns?.close();
  if (bin) rmSync(bin, { recursive: true, force: true });
});

describe("the probe script on a real shell", () => {
  it("reports a missing ping as a failed probe and still runs the TCP probe", async () => {
    const { measurements } = await run([{ address: netns.delayedAddress, port: 443, icmp: true, tcp: true, count: 2 }], { PATH: bin });
    expect(measurements[0]).toMatchObject({ method: "ICMP", sent: 0, error: "ping is not installed on the host (package iputils-ping)" });
    expect(measurements[1]).toMatchObject({ method: "TCP", sent: 2, received: 2, error: null });
  });

  it("resolves a host name before timing the connect", async () => {
    const { measurements } = await run([{ address: "localhost", port: 5432, icmp: true, tcp: true, count: 2 }]);
    expect(measurements.map((m) => [m.method, m.received])).toEqual([
      ["ICMP", 2],
      ["TCP", 2],
    ]);
    const unresolvable = await run([{ address: "no-such-host.invalid", port: 443, icmp: false, tcp: true, count: 1 }]);
    expect(unresolvable.measurements[0]).toMatchObject({ sent: 0, error: expect.stringMatching(/resolve/) });
  });

  it("refuses addresses that are not addresses before building anything", () => {
    for (const address of ["-c1 127.0.0.1", "$(id)", "`id`", "127.0.0.1;id", "a b", "x\ny"]) {
      expect(() => buildProbeScript({ targets: [{ address, port: 1, icmp: true, tcp: true, count: 1 }] }), address).toThrow();
    }
  });

  it("leaves no temporary files behind", async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), "skjold-probe-tmp-"));
    try {
      const { measurements } = await run([{ address: netns.directAddress, port: 9, icmp: true, tcp: true, count: 1 }], { TMPDIR: tmp });
      expect(measurements.map((m) => m.method)).toEqual(["ICMP", "TCP"]);
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
