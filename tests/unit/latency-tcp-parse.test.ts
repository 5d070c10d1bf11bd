import { describe, expect, it } from "vitest";
import { parseTcpOutput } from "@/lib/latency/parse-tcp";

// Lines as the probe script printed them on this machine (bash 5.2): connects to a listening
// port, to a closed port, and in a namespace without a route.
const OK = [
  "try 1 0 1795996532.951575 1795996532.987499",
  "try 2 0 1795996533.196919 1795996533.197060",
  "try 3 0 1795996533.426464 1795996533.427723",
];
const REFUSED = "127.0.0.1: connect: Connection refused 127.0.0.1: line 1: /dev/tcp/127.0.0.1/1: Connection refused";
const NO_NET = "bash: connect: Network is unreachable bash: /dev/tcp/203.0.113.9/443: Network is unreachable";

const parse = (lines: string[], count = lines.length, exitCode = 0) => parseTcpOutput({ text: `${lines.join("\n")}\n`, exitCode, count });

describe("parseTcpOutput", () => {
  it("measures each connect as t1 − t0 in milliseconds, to the microsecond", () => {
    expect(parse(OK)).toEqual({ method: "TCP", sent: 3, received: 3, rttsMs: [35.924, 0.141, 1.259], error: null });
  });

  it("counts failed connects as lost and names the reason when none succeeded", () => {
    expect(parse([OK[0]!, `try 2 3 ${REFUSED}`])).toMatchObject({ sent: 2, received: 1, error: null });
    expect(parse([`try 1 3 ${REFUSED}`, `try 2 3 ${REFUSED}`])).toMatchObject({
      sent: 2,
      received: 0,
      error: "connection refused (nothing listens on that port)",
    });
    expect(parse([`try 1 124 `])).toMatchObject({ sent: 1, received: 0, error: "connect timed out" });
    expect(parse([`try 1 3 ${NO_NET}`])).toMatchObject({ received: 0, error: "network unreachable (no route on the host)" });
  });

  it("fails without numbers when the output is cut, reordered, forged or absurd", () => {
    const failed = { sent: 0, received: 0, rttsMs: [] };
    expect(parse(OK.slice(0, 2), 3)).toMatchObject({ ...failed, error: expect.stringMatching(/cut short \(2 of 3/) });
    expect(parse([OK[1]!, OK[0]!])).toMatchObject({ ...failed, error: expect.stringMatching(/unexpected output/) });
    expect(parse(["try 1 0 1795996533.9 1795996533.1"])).toMatchObject(failed);
    expect(parse(["try 1 0 1795996533.000002 1795996532.000001"])).toMatchObject({ ...failed, error: expect.stringMatching(/impossible/) });
    expect(parse(["try 1 0 1795996533.000000 1795999999.000000"])).toMatchObject({ ...failed, error: expect.stringMatching(/impossible/) });
    expect(parse(["try 1 0 \x1b[2J1795996533.000000 1795996533.000100"])).toMatchObject(failed);
    expect(parse([`try 1 0 ${"9".repeat(600)}`])).toMatchObject(failed);
  });

  it("reports a script-level failure instead of reading lines", () => {
    expect(parseTcpOutput({ text: "resolve failed\n", exitCode: 68, count: 3 })).toMatchObject({
      sent: 0,
      error: expect.stringMatching(/resolve/),
    });
    expect(parseTcpOutput({ text: OK.join("\n"), exitCode: 2, count: 3 })).toMatchObject({ sent: 0, error: "TCP probe failed (exit 2)" });
  });
});
