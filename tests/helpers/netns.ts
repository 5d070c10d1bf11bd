import { spawn, execFile, type ChildProcess } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { promisify } from "node:util";
import { startDelayResponder, type DelayResponder } from "./netns-responder";

// A latency lab made of a network namespace this test creates (root required):
//
//   root namespace (the "host")                 namespace skjlat-XXXX
//   veth 198.51.100.(8k+1)/29  ────────────────  veth peer 198.51.100.(8k+2)/29  (kernel answers)
//   route 203.0.113.(k+1)/32 via the peer         route 203.0.113.(k+1)/32 → TUN device
//                                                 TUN ⇄ socat ⇄ UDP 127.0.0.1 ⇄ delay responder
//
// Addresses are documentation ranges (TEST-NET-2 and TEST-NET-3), only on the veth pair, so no
// traffic leaves the machine. socat opens the TUN device in the root namespace and the device is
// then moved into the lab namespace: the open file keeps working, so the responder (in this test
// process) answers packets that arrive there. 198.51.100.(8k+5) is on the link but has no owner:
// pinging it yields real "Destination Host Unreachable" errors.

const run = promisify(execFile);

export interface LatencyNetns {
  name: string;
  /** the root namespace's address on the veth */
  hostAddress: string;
  /** the namespace's own address: answered by its kernel at once (TCP: refused) */
  directAddress: string;
  /** answered by the delay responder after `delayMs` (ICMP echo and TCP connect) */
  delayedAddress: string;
  /** on the link, owned by nobody */
  unreachableAddress: string;
  delayMs: number;
  responder: DelayResponder;
  close(): Promise<void>;
}

async function ip(...args: string[]): Promise<string> {
  return (await run("ip", args)).stdout;
}

async function freeSlot(): Promise<number> {
  const used = await ip("-4", "-o", "addr", "show");
  for (let attempt = 0; attempt < 20; attempt++) {
    const k = randomInt(1, 31);
    if (!used.includes(`198.51.100.${8 * k + 1}/`)) return k;
  }
  throw new Error("no free 198.51.100.0/29 slot for the latency lab");
}

async function waitForLink(name: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if (await ip("link", "show", name).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`socat did not create ${name}`);
}

export async function createLatencyNetns(opts: { delayMs: number }): Promise<LatencyNetns> {
  const id = randomBytes(3).toString("hex");
  const name = `skjlat-${id}`;
  const [vethHost, vethPeer, tun] = [`slh${id}`, `slp${id}`, `slt${id}`];
  const k = await freeSlot();
  const net = (n: number) => `198.51.100.${8 * k + n}`;
  const delayedAddress = `203.0.113.${k + 1}`;
  const responder = await startDelayResponder({ delayMs: opts.delayMs });
  let socat: ChildProcess | undefined;

  const close = async () => {
    socat?.kill("SIGTERM");
    await ip("netns", "del", name).catch(() => undefined);
    await ip("link", "del", vethHost).catch(() => undefined);
    await responder.close();
  };
  try {
    await ip("netns", "add", name);
    await ip("link", "add", vethHost, "type", "veth", "peer", "name", vethPeer);
    await ip("link", "set", vethPeer, "netns", name);
    await ip("addr", "add", `${net(1)}/29`, "dev", vethHost);
    await ip("link", "set", vethHost, "up");
    await ip("-n", name, "addr", "add", `${net(2)}/29`, "dev", vethPeer);
    await ip("-n", name, "link", "set", vethPeer, "up");
    await ip("-n", name, "link", "set", "lo", "up");
    await run("ip", ["netns", "exec", name, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0"]);
    socat = spawn("socat", [`TUN,tun-name=${tun},tun-type=tun,iff-no-pi`, `UDP:127.0.0.1:${responder.port}`], { stdio: "ignore" });
    await waitForLink(tun);
    await ip("link", "set", tun, "netns", name);
    await ip("-n", name, "link", "set", tun, "up");
    await ip("-n", name, "route", "add", `${delayedAddress}/32`, "dev", tun);
    await ip("route", "add", `${delayedAddress}/32`, "via", net(2));
  } catch (err) {
    await close();
    throw err;
  }
  return { name, hostAddress: net(1), directAddress: net(2), delayedAddress, unreachableAddress: net(5), delayMs: opts.delayMs, responder, close };
}
