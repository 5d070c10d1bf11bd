# ICMP echo from a lab guest (the image has no ping): `sudo python3 - <address>`; prints "reply"
# when the address answers within 2 s (three tries), else "none". Raw sockets: IPv4 needs the
# checksum computed here, the kernel fills in ICMPv6's.
import os, select, socket, struct, sys

addr = sys.argv[1]
v6 = ":" in addr
ident = os.getpid() & 0xFFFF


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


if v6:
    sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
else:
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
for seq in range(3):
    payload = b"skjold-echo"
    if v6:
        packet = struct.pack("!BBHHH", 128, 0, 0, ident, seq) + payload
    else:
        head = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
        packet = struct.pack("!BBHHH", 8, 0, checksum(head + payload), ident, seq) + payload
    sock.sendto(packet, (addr, 0))
    while select.select([sock], [], [], 2)[0]:
        data, src = sock.recvfrom(2048)
        icmp = data if v6 else data[(data[0] & 0x0F) * 4 :]
        kind, _, _, rid, rseq = struct.unpack("!BBHHH", icmp[:8])
        if kind == (129 if v6 else 0) and rid == ident and src[0] == addr:
            print("reply")
            sys.exit(0)
print("none")
