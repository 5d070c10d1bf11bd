# Runs as root in a lab namespace (the machine's python3): listens for SECONDS on UDP PORT (IPv4 and
# IPv6) and captures every frame on the listed interfaces, then prints one JSON object:
#   {"udp": [{"from": addr, "tag": payload}], "frames": [{"if", "kind", ...}]}
# frames lists what a spoofing guest could have sent: ARP (sender MAC/IP), neighbour advertisements
# (target, sender MAC), router advertisements, DHCP server packets, 802.1Q-tagged frames.
# Usage: python3 spoof-watch.py SECONDS PORT IF [IF ...]
import json, select, socket, struct, sys, time

seconds, port, ifaces = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
socks = {}
for af, any_ in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
    s = socket.socket(af, socket.SOCK_DGRAM)
    if af == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((any_, port))
    socks[s] = "udp"
for name in ifaces:
    r = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(3))
    r.bind((name, 0))
    socks[r] = name
print("ready", flush=True, file=sys.stderr)

mac = lambda b: ":".join(f"{x:02x}" for x in b)
udp, frames = [], []


def frame(name, data):
    if len(data) < 14:
        return
    src, etype = data[6:12], struct.unpack("!H", data[12:14])[0]
    body = data[14:]
    if etype == 0x8100:
        frames.append({"if": name, "kind": "vlan", "srcMac": mac(src)})
        return
    if etype == 0x0806 and len(body) >= 28:
        frames.append({"if": name, "kind": "arp", "srcMac": mac(src), "senderMac": mac(body[8:14]), "senderIp": socket.inet_ntoa(body[14:18])})
    elif etype == 0x86DD and len(body) >= 48 and body[6] == 58:
        t = body[40]
        if t == 134:
            frames.append({"if": name, "kind": "ra", "srcMac": mac(src)})
        elif t == 136:
            frames.append({"if": name, "kind": "na", "srcMac": mac(src), "target": socket.inet_ntop(socket.AF_INET6, body[48:64])})
    elif etype == 0x0800 and len(body) >= 28 and body[9] == 17:
        ihl = (body[0] & 15) * 4
        sport = struct.unpack("!H", body[ihl : ihl + 2])[0]
        srcip = socket.inet_ntoa(body[12:16])
        if sport == 67:
            frames.append({"if": name, "kind": "dhcp-server", "srcMac": mac(src), "srcIp": srcip})
        if body[ihl + 8 :].startswith(b"spoof-source-mac"):
            frames.append({"if": name, "kind": "fake-mac", "srcMac": mac(src), "srcIp": srcip})


end = time.time() + seconds
while time.time() < end:
    ready, _, _ = select.select(list(socks), [], [], max(0, end - time.time()))
    for s in ready:
        data, addr = s.recvfrom(65535)
        if socks[s] == "udp":
            udp.append({"from": addr[0], "tag": data.decode(errors="replace")})
        else:
            frame(socks[s], data)
print(json.dumps({"udp": udp, "frames": frames}))
