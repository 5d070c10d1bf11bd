import { describe, expect, it } from "vitest";
import { parseProbeOutput } from "@/lib/latency/parse-output";
import { PING } from "../helpers/netns-fixtures";

const NONCE = "0123456789abcdef";
const targets = [
  { address: "198.51.100.1", port: 179, icmp: true, tcp: true, count: 5 },
  { address: "198.51.100.2", port: null, icmp: true, tcp: false, count: 3 },
];
const tcpLines =
  "try 1 0 1795996532.000000 1795996532.002000\ntry 2 0 1795996532.300000 1795996532.301000\ntry 3 124 \ntry 4 0 1795996533.000000 1795996533.004000\ntry 5 0 1795996533.300000 1795996533.303000";
const section = (i: number, m: string, body: string, rc: number, nonce = NONCE) =>
  `BEGIN ${nonce} ${i} ${m}\n${body.replace(/\n$/, "")}\nEND ${nonce} ${i} ${m} ${rc}`;
const full = [
  "Welcome to host-1 (motd printed by a login shell)",
  `SKJOLD-PROBE 1 ${NONCE}`,
  section(0, "icmp", PING.loopback.text, 0),
  section(0, "tcp", tcpLines, 0),
  section(1, "icmp", PING.total.text, 1),
  `DONE ${NONCE}`,
].join("\n");

describe("parseProbeOutput", () => {
  it("reads each target's sections, ignoring lines outside them", () => {
    const out = parseProbeOutput({ stdout: full, nonce: NONCE, targets });
    expect(out.map((o) => [o.targetIndex, o.measurement.method, o.measurement.received, o.measurement.error])).toEqual([
      [0, "ICMP", 5, null],
      [0, "TCP", 4, null],
      [1, "ICMP", 0, "no reply (100% loss)"],
    ]);
    expect(out[1]!.measurement.rttsMs).toEqual([2, 1, 4, 3]);
  });

  it("ignores sections with another nonce, so a host cannot forge results", () => {
    const forged = full.replace(section(0, "tcp", tcpLines, 0), section(0, "tcp", tcpLines, 0, "ffffffffffffffff"));
    const tcp = parseProbeOutput({ stdout: forged, nonce: NONCE, targets })[1]!.measurement;
    expect(tcp).toMatchObject({ sent: 0, error: expect.stringMatching(/no output for this probe/) });
  });

  it("fails only the probes whose output is missing or cut", () => {
    const cut = full.slice(0, full.indexOf(`END ${NONCE} 0 tcp`));
    const out = parseProbeOutput({ stdout: cut, nonce: NONCE, targets }).map((o) => o.measurement);
    expect(out[0]).toMatchObject({ received: 5, error: null });
    expect(out[1]).toMatchObject({ sent: 0, error: "the output of this probe was cut short" });
    expect(out[2]).toMatchObject({ sent: 0, error: expect.stringMatching(/no output/) });
  });

  it("fails every probe with the script's own reason or when the output is huge", () => {
    const fatal = parseProbeOutput({ stdout: `SKJOLD-FATAL ${NONCE} mktemp failed\n`, nonce: NONCE, targets });
    expect(fatal.map((o) => o.measurement.error)).toEqual(Array(3).fill("probe script failed on the host: mktemp failed"));
    const huge = parseProbeOutput({ stdout: full + "x".repeat(3 * 1024 * 1024), nonce: NONCE, targets });
    expect(huge.every((o) => o.measurement.sent === 0 && /more output/.test(o.measurement.error!))).toBe(true);
  });

  it("refuses a nonce that is not 16 hex digits (it becomes part of a pattern)", () => {
    expect(() => parseProbeOutput({ stdout: full, nonce: ".*", targets })).toThrow(/nonce/);
  });
});
