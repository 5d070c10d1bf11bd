import { randomInt } from "node:crypto";
import dgram from "node:dgram";

// A userspace IPv4 responder that answers after a fixed delay, for latency tests (the kernel here
// has no netem). The kernel routes the target address into a TUN device; socat relays each packet
// from the TUN device to this UDP socket as one datagram and back. Because this process is what
// answers the ICMP echo and the TCP SYN, the delay sits inside the round trip a prober measures:
//   ICMP echo request  → echo reply after DELAY
//   TCP SYN            → SYN-ACK after DELAY (so connect() itself takes DELAY)
//   TCP FIN or data    → RST (the prober's close ends cleanly), pure ACKs are ignored.

function checksum(buf: Buffer, initial = 0): number {
  let sum = initial;
  for (let i = 0; i + 1 < buf.length; i += 2) sum += buf.readUInt16BE(i);
  if (buf.length % 2 === 1) sum += buf[buf.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function ipv4(src: Buffer, dst: Buffer, protocol: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + payload.length, 2);
  h.writeUInt16BE(randomInt(0xffff), 4);
  h.writeUInt16BE(0x4000, 6); // don't fragment
  h[8] = 64;
  h[9] = protocol;
  src.copy(h, 12);
  dst.copy(h, 16);
  h.writeUInt16BE(checksum(h), 10);
  return Buffer.concat([h, payload]);
}

function tcpSegment(src: Buffer, dst: Buffer, fields: { sport: number; dport: number; seq: number; ack: number; flags: number }): Buffer {
  const t = Buffer.alloc(20);
  t.writeUInt16BE(fields.sport, 0);
  t.writeUInt16BE(fields.dport, 2);
  t.writeUInt32BE(fields.seq >>> 0, 4);
  t.writeUInt32BE(fields.ack >>> 0, 8);
  t[12] = 5 << 4;
  t[13] = fields.flags;
  t.writeUInt16BE(65535, 14);
  const pseudo = Buffer.concat([src, dst, Buffer.from([0, 6, 0, 20])]);
  t.writeUInt16BE(checksum(Buffer.concat([pseudo, t])), 16);
  return t;
}

const FIN = 0x01,
  SYN = 0x02,
  RST = 0x04,
  ACK = 0x10;

/** The reply to one IPv4 packet, or null when it needs none. Pure, so it is tested on its own. */
function replyTo(packet: Buffer): Buffer | null {
  if (packet.length < 20 || packet[0]! >> 4 !== 4) return null;
  const ihl = (packet[0]! & 0x0f) * 4;
  const total = Math.min(packet.readUInt16BE(2), packet.length);
  const src = packet.subarray(12, 16);
  const dst = packet.subarray(16, 20);
  const body = packet.subarray(ihl, total);
  if (packet[9] === 1 && body.length >= 8 && body[0] === 8) {
    const icmp = Buffer.from(body);
    icmp[0] = 0;
    icmp.writeUInt16BE(0, 2);
    icmp.writeUInt16BE(checksum(icmp), 2);
    return ipv4(dst, src, 1, icmp);
  }
  if (packet[9] === 6 && body.length >= 20) {
    const flags = body[13]!;
    const sport = body.readUInt16BE(2),
      dport = body.readUInt16BE(0);
    const seq = body.readUInt32BE(4),
      ackNo = body.readUInt32BE(8);
    const dataLen = body.length - (body[12]! >> 4) * 4;
    if (flags & RST) return null;
    if (flags & SYN && !(flags & ACK))
      return ipv4(dst, src, 6, tcpSegment(dst, src, { sport, dport, seq: randomInt(2 ** 31), ack: seq + 1, flags: SYN | ACK }));
    if (flags & FIN || dataLen > 0) return ipv4(dst, src, 6, tcpSegment(dst, src, { sport, dport, seq: ackNo, ack: 0, flags: RST }));
  }
  return null;
}

/** What the responder does; tests may change it while it runs. */
export interface ResponderBehaviour {
  delayMs: number;
  /** answer every echo request twice (ping prints "(DUP!)") */
  duplicate: boolean;
  /** ignore every n-th packet that needs a reply (0: none), for partial loss */
  dropEvery: number;
}

export interface DelayResponder {
  port: number;
  behaviour: ResponderBehaviour;
  answered: () => number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 for packets relayed by socat and answers each after `delayMs`. */
export async function startDelayResponder(opts: Partial<ResponderBehaviour> & { delayMs: number }): Promise<DelayResponder> {
  const socket = dgram.createSocket("udp4");
  const behaviour: ResponderBehaviour = { duplicate: false, dropEvery: 0, ...opts };
  let answered = 0;
  let seen = 0;
  const timers = new Set<NodeJS.Timeout>();
  socket.on("message", (packet, from) => {
    const reply = replyTo(packet);
    if (!reply) return;
    seen += 1;
    if (behaviour.dropEvery > 0 && seen % behaviour.dropEvery === 0) return;
    const copies = behaviour.duplicate && packet[9] === 1 ? 2 : 1;
    const timer = setTimeout(() => {
      timers.delete(timer);
      answered += 1;
      for (let i = 0; i < copies; i++) socket.send(reply, from.port, from.address);
    }, behaviour.delayMs);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return {
    port: socket.address().port,
    behaviour,
    answered: () => answered,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}
