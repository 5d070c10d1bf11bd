import { spawn, execFile, type ChildProcess } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import type { ResponderBehaviour } from "./netns-responder";

// A latency lab made of a network namespace this test creates (root required):
//
//   root namespace (the "host")                 namespace skjlat-XXXX
//   veth 198.51.100.(8k+1)/29  ────────────────  veth peer 198.51.100.(8k+2)/29  (kernel answers)
//   route 203.0.113.(k+1)/32 via the peer         route 203.0.113.(k+1)/32 → TUN device
//                                                 TUN ⇄ socat ⇄ UDP 127.0.0.1 ⇄ delay responder
//
// Addresses are documentation ranges (TEST-NET-2 and TEST-NET-3), only on the veth pair, so no
// traffic leaves the machine. socat opens the TUN device in the root namespace and the device is
// then moved into the lab namespace: the open file keeps working, so the responder (a child process,
// netns-responder-process.ts) answers packets that arrive there. 198.51.100.(8k+5) is on the link
// but has no owner: pinging it long enough yields real "Destination Host Unreachable" errors.

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
  /** change what the responder does (duplicate replies, drop some) */
  setBehaviour(b: Partial<ResponderBehaviour>): Promise<void>;
  /** how many packets the responder has answered */
  answered(): Promise<number>;
  close(): Promise<void>;
}

/** Starts the responder in its own process and talks to it over stdio. */
async function spawnResponder(delayMs: number) {
  const entry = path.join(import.meta.dirname, "netns-responder-process.ts");
  // Raised priority (we are root): on a loaded machine the relay's wake-ups, not the network, would
  // otherwise dominate the measured time.
  const argv = ["-n", "-10", process.execPath, "--import", "tsx", entry, String(delayMs)];
  const child = spawn("nice", argv, { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error("the latency responder exited");
    return JSON.parse(value as string) as { port?: number; answered?: number };
  };
  const { port } = await next();
  const ask = async (msg: object) => {
    child.stdin!.write(`${JSON.stringify(msg)}\n`);
    return next();
  };
  return {
    port: port!,
    setBehaviour: async (b: Partial<ResponderBehaviour>) => void (await ask({ behaviour: b })),
    answered: async () => (await ask({ answered: true })).answered!,
    close: () => {
      child.stdin!.end();
      child.kill("SIGTERM");
    },
  };
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
    if (
      await ip("link", "show", name).then(
        () => true,
        () => false,
      )
    )
      return;
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
  const responder = await spawnResponder(opts.delayMs);
  let socat: ChildProcess | undefined;

  const close = async () => {
    socat?.kill("SIGTERM");
    await ip("netns", "del", name).catch(() => undefined);
    await ip("link", "del", vethHost).catch(() => undefined);
    responder.close();
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
    socat = spawn("nice", ["-n", "-10", "socat", `TUN,tun-name=${tun},tun-type=tun,iff-no-pi`, `UDP:127.0.0.1:${responder.port}`], {
      stdio: "ignore",
    });
    await waitForLink(tun);
    await ip("link", "set", tun, "netns", name);
    await ip("-n", name, "link", "set", tun, "up");
    await ip("-n", name, "route", "add", `${delayedAddress}/32`, "dev", tun);
    await ip("route", "add", `${delayedAddress}/32`, "via", net(2));
    // Warm up: resolve the neighbour and wake the responder, so the first measured probe is not
    // the one that pays for ARP and a cold process.
    await run("ping", ["-n", "-c", "2", "-i", "0.2", "-W", "2", delayedAddress]);
  } catch (err) {
    await close();
    throw err;
  }
  return {
    name,
    hostAddress: net(1),
    directAddress: net(2),
    delayedAddress,
    unreachableAddress: net(5),
    delayMs: opts.delayMs,
    setBehaviour: responder.setBehaviour,
    answered: responder.answered,
    close,
  };
}
