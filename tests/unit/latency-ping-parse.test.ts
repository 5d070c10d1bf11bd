import { describe, expect, it } from "vitest";
import { parsePingOutput } from "@/lib/latency/parse-ping";
import { PING } from "../helpers/netns-fixtures";

const parse = (f: { text: string; exitCode: number }, count: number) => parsePingOutput({ ...f, count });

describe("parsePingOutput on real iputils output", () => {
  it("reads every reply of a clean run in sequence order", () => {
    expect(parse(PING.loopback, 5)).toEqual({
      method: "ICMP",
      sent: 5,
      received: 5,
      rttsMs: [0.03, 0.04, 0.045, 0.04, 0.035],
      error: null,
    });
    expect(parse(PING.ipv6, 3)).toMatchObject({ sent: 3, received: 3, rttsMs: [0.192, 0.039, 0.039], error: null });
    expect(parse(PING.delayed, 5).rttsMs).toEqual([5.81, 9.16, 5.73, 5.62, 5.64]);
  });

  it("counts a duplicated reply once", () => {
    expect(parse(PING.dup, 3)).toMatchObject({ sent: 3, received: 3, rttsMs: [5.63, 5.75, 5.94], error: null });
  });

  it("keeps partial loss as fewer replies than sent", () => {
    expect(parse(PING.partial, 6)).toMatchObject({ sent: 6, received: 3, rttsMs: [6.04, 5.72, 5.64], error: null });
  });

  it("reports 100 % loss and unreachable hosts as loss with a reason, not as a failure to run", () => {
    expect(parse(PING.total, 3)).toEqual({ method: "ICMP", sent: 3, received: 0, rttsMs: [], error: "no reply (100% loss)" });
    expect(parse(PING.unreach, 5)).toMatchObject({ sent: 5, received: 0, error: "no reply: destination host unreachable" });
  });

  it("turns ping's own errors into failed measurements that sent nothing", () => {
    expect(parse(PING.unknownhost, 1)).toMatchObject({ sent: 0, error: "ping: no-such-host.invalid: Name or service not known" });
    expect(parse(PING.networkUnreachable, 2)).toMatchObject({ sent: 0, error: "ping: connect: Network is unreachable" });
    expect(parse({ text: "", exitCode: 127 }, 5)).toMatchObject({ sent: 0, error: expect.stringMatching(/not installed/) });
    expect(parse({ text: "", exitCode: 124 }, 5)).toMatchObject({ sent: 0, error: "ping did not finish in time" });
  });
});

describe("parsePingOutput on hostile or broken output", () => {
  const lines = PING.loopback.text.split("\n");
  const withLine = (at: number, line: string) => ({ exitCode: 0, text: [...lines.slice(0, at), line, ...lines.slice(at)].join("\n") });
  const failed = { sent: 0, received: 0, rttsMs: [] };

  it("never returns a number from any truncation of a real output", () => {
    const full = PING.partial.text;
    for (let cut = 0; cut < full.length; cut++) {
      const r = parse({ text: full.slice(0, cut), exitCode: 0 }, 6);
      if (r.error === null) {
        // Only cuts inside the trailing rtt line still carry a complete, consistent summary.
        expect(full.slice(0, cut)).toContain("6 packets transmitted, 3 received");
        expect(r.rttsMs).toEqual([6.04, 5.72, 5.64]);
      } else {
        expect(r).toMatchObject(failed);
      }
    }
  });

  it.each([
    ["ANSI escape codes", "\x1b[31m64 bytes from 127.0.0.1: icmp_seq=6 ttl=64 time=0.1 ms\x1b[0m"],
    ["a very long line", `64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.030 ms ${"A".repeat(10_000)}`],
    ["a NUL byte", "64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.0\u000030 ms"],
    ["a shell prompt", "root@host:~# rm -rf /"],
    ["an injected BEGIN marker", "BEGIN 0123456789abcdef 0 icmp"],
    ["an absurd time", "64 bytes from 127.0.0.1: icmp_seq=2 ttl=64 time=999999 ms"],
    ["a negative time", "64 bytes from 127.0.0.1: icmp_seq=2 ttl=64 time=-1 ms"],
    ["a reply beyond the count", "64 bytes from 127.0.0.1: icmp_seq=9 ttl=64 time=0.05 ms"],
  ])("refuses %s", (_, line) => {
    const r = parse(withLine(3, line), 5);
    expect(r).toMatchObject(failed);
    expect(r.error).toMatch(/ping/);
    expect(r.error!.length).toBeLessThan(200);
    expect(r.error).not.toMatch(/[\x00-\x1f\x7f]/);
  });

  it("refuses a summary that disagrees with the replies, or an exit code that disagrees with both", () => {
    const forged = PING.loopback.text.replace("5 received, 0% packet loss", "4 received, 20% packet loss");
    expect(parse({ text: forged, exitCode: 0 }, 5).error).toMatch(/4 received but 5 replies/);
    const lossLie = PING.partial.text.replace("50% packet loss", "0% packet loss");
    expect(parse({ text: lossLie, exitCode: 0 }, 6).error).toMatch(/loss does not match/);
    expect(parse({ text: PING.loopback.text, exitCode: 1 }, 5).error).toMatch(/exited with 1/);
    expect(parse({ text: PING.loopback.text, exitCode: 0 }, 4).error).toMatch(/icmp_seq=5 for 4 packets/);
  });

  it("refuses output larger than a probe can print", () => {
    expect(parse({ text: `${PING.loopback.text}\n`.repeat(2000), exitCode: 0 }, 5).error).toMatch(/more output/);
  });
});
