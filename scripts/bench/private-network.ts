// The VXLAN overhead of a private network: `npx tsx scripts/bench/private-network.ts` (root, on the
// network lab of `scripts/lab-host up --hosts 2`). Two stand-in namespaces, one plugged into a
// private network's bridge on lab-h1 and one on lab-h2 (the segments made by the same script Skjold
// runs, lib/network/private/private-host-script.ts), talk over the VXLAN between the hosts; the
// baseline, in the same run, is the two hosts' namespaces talking straight over the underlay. Guests
// are left out (no boot: the figures are the network path's, not a TCG guest's). Prints TCP
// throughput (one stream, 3 s) and UDP round-trip latency (median and p90 of 300), and the ratios.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { bridgeOfVni, buildSegmentSetup, vxlanOfVni } from "@/lib/network/private/private-host-script";

const NET_JSON = process.env.SKJOLD_LAB_NET ?? "/var/lib/skjold-lab/net.json";
const VNI = 16_777_000;
const hosts = (JSON.parse(readFileSync(NET_JSON, "utf8")) as { hosts: { name: string; netns: string; address: string }[] }).hosts;
if (hosts.length < 2) throw new Error("the network lab has fewer than two hosts");
const [h1, h2] = hosts as [(typeof hosts)[0], (typeof hosts)[0]];

function run(argv: string[], input?: string, allowFailure = false) {
  const r = spawnSync(argv[0]!, argv.slice(1), { input, encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0 && !allowFailure) throw new Error(`${argv.join(" ")}: ${r.stderr}`);
  return r.stdout;
}
const inNs = (ns: string, argv: string[], input?: string) => run(["ip", "netns", "exec", ns, ...argv], input);

const SERVER = `
import socket, sys, time
mode, port = sys.argv[1], int(sys.argv[2])
if mode == "tcp":
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port)); s.listen(1); s.settimeout(30); c, _ = s.accept()
    while c.recv(1 << 20): pass
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", port)); s.settimeout(30)
    while True:
        d, a = s.recvfrom(2048)
        if d == b"end": break
        s.sendto(d, a)
`;
const CLIENT = `
import socket, sys, time
mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
for _ in range(50):
    try:
        if mode == "tcp":
            s = socket.create_connection((addr, port), timeout=5)
        else:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2); s.sendto(b"x", (addr, port)); s.recvfrom(64)
        break
    except OSError: time.sleep(0.1)
if mode == "tcp":
    buf = b"\\0" * 65536; n = 0; t0 = time.perf_counter()
    while time.perf_counter() - t0 < 3: s.sendall(buf); n += len(buf)
    s.close(); print(n / (time.perf_counter() - t0))
else:
    rtts = []
    for i in range(300):
        t = time.perf_counter(); s.sendto(b"p" * 64, (addr, port)); s.recvfrom(2048); rtts.append(time.perf_counter() - t)
    s.sendto(b"end", (addr, port)); rtts.sort(); print(rtts[150], rtts[270])
`;

function measure(server: string, client: string, addr: string, port: number) {
  const out: Record<string, number[]> = {};
  for (const mode of ["tcp", "udp"]) {
    const srv = spawnSync(
      "sh",
      [
        "-c",
        `ip netns exec ${server} python3 -c '${SERVER}' ${mode} ${port} & sleep 0.3; ip netns exec ${client} python3 -c '${CLIENT}' ${mode} ${addr} ${port}; wait`,
      ],
      {
        encoding: "utf8",
        timeout: 90_000,
      },
    );
    if (srv.status !== 0) throw new Error(`${mode} ${server} → ${client}: ${srv.stderr}`);
    out[mode] = srv.stdout.trim().split(/\s+/).map(Number);
  }
  return { mbps: (out.tcp![0]! * 8) / 1e6, medianMs: out.udp![0]! * 1e3, p90Ms: out.udp![1]! * 1e3 };
}

const stand = [
  { ns: "skjbench-a", host: h1, ip: "10.250.0.1" },
  { ns: "skjbench-b", host: h2, ip: "10.250.0.2" },
];
function cleanUp() {
  for (const s of stand) run(["ip", "netns", "del", s.ns], undefined, true);
  for (const h of [h1, h2])
    for (const d of [vxlanOfVni(VNI), bridgeOfVni(VNI)]) run(["ip", "-n", h.netns, "link", "del", d], undefined, true);
}

cleanUp();
try {
  for (const h of [h1, h2]) {
    const script = buildSegmentSetup({ vni: VNI, local: h.address, peers: [h1.address, h2.address] }).replaceAll("sudo -n ", "");
    inNs(h.netns, ["sh", "-s"], script);
  }
  for (const [i, s] of stand.entries()) {
    run(["ip", "netns", "add", s.ns]);
    run(["ip", "link", "add", `skjb${i}`, "type", "veth", "peer", "name", `skjb${i}h`]);
    run(["ip", "link", "set", `skjb${i}`, "netns", s.ns]);
    run(["ip", "link", "set", `skjb${i}h`, "netns", s.host.netns]);
    inNs(s.host.netns, ["ip", "link", "set", `skjb${i}h`, "mtu", "1450", "master", bridgeOfVni(VNI), "up"]);
    inNs(s.ns, ["sh", "-c", `ip link set lo up && ip link set skjb${i} mtu 1450 up && ip addr add ${s.ip}/24 dev skjb${i}`]);
  }
  const direct = measure(h2.netns, h1.netns, h2.address, 5201);
  const vxlan = measure("skjbench-b", "skjbench-a", "10.250.0.2", 5202);
  const f = (n: number) => n.toFixed(n < 10 ? 3 : 0);
  console.log(
    `underlay, ${h1.name} → ${h2.name} namespaces: ${f(direct.mbps)} Mbit/s, RTT median ${f(direct.medianMs)} ms, p90 ${f(direct.p90Ms)} ms`,
  );
  console.log(
    `private network (VXLAN VNI ${VNI}), stand-ins on both bridges: ${f(vxlan.mbps)} Mbit/s, RTT median ${f(vxlan.medianMs)} ms, p90 ${f(vxlan.p90Ms)} ms`,
  );
  console.log(
    `ratios (private / underlay): throughput ${(vxlan.mbps / direct.mbps).toFixed(2)}×, latency median ${(vxlan.medianMs / direct.medianMs).toFixed(2)}×, p90 ${(vxlan.p90Ms / direct.p90Ms).toFixed(2)}×`,
  );
} finally {
  cleanUp();
}
