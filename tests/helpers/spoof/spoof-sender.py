# Runs as root INSIDE a lab guest (python3 is in the image): tries every way a guest could pretend to
# be someone else on the network, then sends one honest packet. Usage:
#   python3 - VICTIM_V4 VICTIM_V6 TARGET_V4 TARGET_V6 PORT  < spoof-sender.py
# VICTIM_*: another guest's addresses; TARGET_*: a listener on the internet side (the lab's client).
# Each payload names what it tried, so the listener can say which spoof got through.
import os, socket, struct, subprocess, sys, time

victim4, victim6, target4, target6, port = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
IF = "eth0"
mymac = bytes.fromhex(open(f"/sys/class/net/{IF}/address").read().strip().replace(":", ""))
raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
raw.bind((IF, 0))
BCAST = b"\xff" * 6


def sh(*argv):
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def icmp6(src, dst, body):
    src_b, dst_b = socket.inet_pton(socket.AF_INET6, src), socket.inet_pton(socket.AF_INET6, dst)
    pseudo = src_b + dst_b + struct.pack("!I3xB", len(body), 58)
    c = checksum(pseudo + body)
    body = body[:2] + struct.pack("!H", c) + body[4:]
    ip6 = struct.pack("!IHBB", 6 << 28, len(body), 58, 255) + src_b + dst_b
    return ip6 + body


def my_lla():
    out = subprocess.run(["ip", "-6", "-o", "addr", "show", "dev", IF, "scope", "link"], capture_output=True, text=True).stdout
    return out.split()[3].split("/")[0]


def udp_from(src, dst, family, tag):
    s = socket.socket(family, socket.SOCK_DGRAM)
    try:
        s.bind((src, 0))
        s.sendto(tag.encode(), (dst, port))
    except OSError:
        pass
    finally:
        s.close()


# 1. Take the victim's addresses and send from them (the kernel then also answers ARP/ND for them).
sh("ip", "addr", "add", f"{victim4}/32", "dev", IF)
sh("ip", "-6", "addr", "add", f"{victim6}/128", "dev", IF, "nodad")
time.sleep(1)
for _ in range(3):
    udp_from(victim4, target4, socket.AF_INET, "spoof-v4-source")
    udp_from(victim6, target6, socket.AF_INET6, "spoof-v6-source")
    # 2. Gratuitous ARP claiming the victim's IPv4 with our MAC.
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 2, mymac, socket.inet_aton(victim4), BCAST, socket.inet_aton(victim4))
    raw.send(BCAST + mymac + b"\x08\x06" + arp)
    # 3. Unsolicited neighbour advertisement for the victim's IPv6 (override flag), to all nodes.
    na = struct.pack("!BBHI", 136, 0, 0, 0x20000000) + socket.inet_pton(socket.AF_INET6, victim6) + struct.pack("!BB", 2, 1) + mymac
    raw.send(b"\x33\x33\x00\x00\x00\x01" + mymac + b"\x86\xdd" + icmp6(my_lla(), "ff02::1", na))
    # 4. A router advertisement offering ourselves as the default router.
    ra = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 1800, 0, 0) + struct.pack("!BB", 1, 1) + mymac
    raw.send(b"\x33\x33\x00\x00\x00\x01" + mymac + b"\x86\xdd" + icmp6(my_lla(), "ff02::1", ra))
    # 5. A DHCP server's offer, broadcast.
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("0.0.0.0", 67))
        s.sendto(b"\x02" + b"\0" * 239 + b"dhcp-offer-spoof", ("255.255.255.255", 68))
    except OSError:
        pass
    s.close()
    # 6. A frame with a made-up source MAC (IPv4 broadcast UDP, to be seen on a segment).
    fake = bytes.fromhex("020000c0ffee")
    ip4 = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28 + 16, 0, 0, 64, 17, 0, socket.inet_aton(victim4), socket.inet_aton("255.255.255.255"))
    ip4 = ip4[:10] + struct.pack("!H", checksum(ip4)) + ip4[12:]
    raw.send(BCAST + fake + b"\x08\x00" + ip4 + struct.pack("!HHHH", 9, port, 8 + 16, 0) + b"spoof-source-mac")
    # 7. An 802.1Q-tagged frame (VLAN 1) carrying the victim's address.
    raw.send(BCAST + mymac + b"\x81\x00\x00\x01\x08\x06" + arp)
    time.sleep(0.3)

sh("ip", "addr", "del", f"{victim4}/32", "dev", IF)
sh("ip", "-6", "addr", "del", f"{victim6}/128", "dev", IF)
time.sleep(0.5)
# 8. Our own traffic must still flow.
own4 = subprocess.run(["ip", "-4", "-o", "addr", "show", "dev", IF, "scope", "global"], capture_output=True, text=True).stdout.split()[3].split("/")[0]
own6 = subprocess.run(["ip", "-6", "-o", "addr", "show", "dev", IF, "scope", "global"], capture_output=True, text=True).stdout.split()[3].split("/")[0]
for _ in range(3):
    udp_from(own4, target4, socket.AF_INET, "honest-v4")
    udp_from(own6, target6, socket.AF_INET6, "honest-v6")
    time.sleep(0.2)
print("sent")
