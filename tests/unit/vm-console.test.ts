import { afterEach, describe, expect, it, vi } from "vitest";
import type { InteractiveConsole } from "@/lib/libvirt/console";
import { attachConsoleSession, type ConsoleEvent, consoleSessionsOfVm, type ConsoleSessionEnd } from "@/lib/vms/console/console-hub";
import { CONSOLE_HEARTBEAT, consoleFrame, streamConsole } from "@/lib/vms/console/console-sse";
import { createIdleTimer } from "@/lib/vms/console/idle-timer";
import { ConsoleIdleInput, ConsoleInputSchema, ConsolePasswordSchema, consoleKeystrokes } from "@/lib/vms/console/schemas";

/** A console that records what is typed and lets the test print on it or end it. */
function fakeConsole() {
  const typed: string[] = [];
  let print: (text: string) => void = () => {};
  let endIt: () => void = () => {};
  const connects: number[] = [];
  const closes: number[] = [];
  const connect = async (onText: (t: string) => void): Promise<InteractiveConsole> => {
    connects.push(1);
    print = onText;
    let resolveEnded!: () => void;
    const ended = new Promise<void>((r) => (resolveEnded = r));
    endIt = () => resolveEnded();
    return {
      attached: Promise.resolve(true),
      ended,
      write: (t) => void typed.push(t),
      close: () => (closes.push(1), resolveEnded()),
    };
  };
  return { typed, connect, connects, closes, print: (t: string) => print(t), endIt: () => endIt() };
}

const base = (
  vmId: string,
  c: ReturnType<typeof fakeConsole>,
  ends: ConsoleSessionEnd[],
  over: Partial<Parameters<typeof attachConsoleSession>[0]> = {},
) => ({
  vmId,
  userId: "u1",
  portalSessionId: "s1",
  connect: c.connect,
  idleMs: 60_000,
  stillAllowed: async () => true,
  onEnd: (e: ConsoleSessionEnd) => void ends.push(e),
  ...over,
});

afterEach(() => vi.useRealTimers());

describe("console input", () => {
  it("accepts keystrokes up to 4 KiB and removes virsh's escape character (Ctrl+])", () => {
    expect(ConsoleInputSchema.safeParse({ data: "ls -l\r" }).success).toBe(true);
    expect(ConsoleInputSchema.safeParse({ data: "" }).success).toBe(false);
    expect(ConsoleInputSchema.safeParse({ data: "x".repeat(4097) }).success).toBe(false);
    expect(ConsoleInputSchema.safeParse({ data: 42 }).success).toBe(false);
    expect(consoleKeystrokes("a\x1db\x1d\x03")).toBe("ab\x03");
  });

  it("takes a console password of 12–128 characters without control characters (a newline would start another chpasswd line)", () => {
    expect(ConsolePasswordSchema.safeParse({ password: "correct horse battery" }).success).toBe(true);
    expect(ConsolePasswordSchema.safeParse({ password: "short" }).success).toBe(false);
    expect(ConsolePasswordSchema.safeParse({ password: "long enough\nroot:owned" }).success).toBe(false);
    expect(ConsolePasswordSchema.safeParse({ password: "x".repeat(129) }).success).toBe(false);
    expect(ConsoleIdleInput.safeParse({ idleMinutes: 15 }).success).toBe(true);
    expect(ConsoleIdleInput.safeParse({ idleMinutes: 0 }).success).toBe(false);
  });
});

describe("console stream framing (Server-Sent Events)", () => {
  it("carries the guest's bytes as one JSON string per event, so output can never end or forge an event", () => {
    expect(consoleFrame({ kind: "output", text: "login: \r\n\nevent: end\ndata: {}\n\n" })).toBe(
      'event: output\ndata: "login: \\r\\n\\nevent: end\\ndata: {}\\n\\n"\n\n',
    );
    expect(consoleFrame({ kind: "end", reason: "idle" })).toBe('event: end\ndata: {"reason":"idle"}\n\n');
    expect(CONSOLE_HEARTBEAT.startsWith(":")).toBe(true);
  });

  it("replays first, streams output, sends heartbeats while quiet, and closes after the end event", async () => {
    const c = fakeConsole();
    const ends: ConsoleSessionEnd[] = [];
    const session = (await attachConsoleSession(base("vm-sse", c, ends)))!;
    c.print("earlier\r\n");
    const stream = streamConsole({ session, signal: new AbortController().signal, heartbeatMs: 20 });
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (what: string) => {
      while (!text.includes(what)) text += decoder.decode((await reader.read()).value);
    };
    await readUntil('event: replay\ndata: "earlier\\r\\n"');
    c.print("now");
    await readUntil('event: output\ndata: "now"');
    await readUntil(CONSOLE_HEARTBEAT);
    session.end("closed");
    await readUntil('event: end\ndata: {"reason":"closed"}');
    while (!(await reader.read()).done);
    expect(ends.map((e) => e.reason)).toEqual(["closed"]);
  });
});

describe("console sessions", () => {
  it("shares one console per VM between sessions; the last one out closes it", async () => {
    const c = fakeConsole();
    const ends: ConsoleSessionEnd[] = [];
    const a = (await attachConsoleSession(base("vm-share", c, ends)))!;
    const b = (await attachConsoleSession(base("vm-share", c, ends, { userId: "u2" })))!;
    expect(c.connects).toHaveLength(1);
    expect(consoleSessionsOfVm("vm-share")).toBe(2);
    const seen: ConsoleEvent[] = [];
    b.subscribe((e) => seen.push(e));
    a.input("root\r");
    c.print("Password: ");
    expect(c.typed).toEqual(["root\r"]);
    expect(seen).toEqual([
      { kind: "replay", text: "" },
      { kind: "output", text: "Password: " },
    ]);
    a.end("closed");
    expect(c.closes).toHaveLength(0);
    b.end("closed");
    expect(c.closes).toHaveLength(1);
    expect(consoleSessionsOfVm("vm-share")).toBe(0);
    await Promise.resolve();
    expect(ends.map((e) => [e.session.userId, e.reason])).toEqual([
      ["u1", "closed"],
      ["u2", "closed"],
    ]);
  });

  it("ends every session when the VM's console ends (the VM stopped)", async () => {
    const c = fakeConsole();
    const ends: ConsoleSessionEnd[] = [];
    const s = (await attachConsoleSession(base("vm-stop", c, ends)))!;
    c.endIt();
    expect(await s.ended).toBe("console-ended");
  });

  it("ends a session whose sign-in no longer holds, and one no page listens to", async () => {
    vi.useFakeTimers();
    const c = fakeConsole();
    const ends: ConsoleSessionEnd[] = [];
    let allowed = true;
    const s = (await attachConsoleSession(base("vm-auth", c, ends, { stillAllowed: async () => allowed, checkEveryMs: 1_000 })))!;
    s.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(5_000);
    allowed = false;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await s.ended).toBe("signed-out");
    const left = (await attachConsoleSession(base("vm-left", c, ends, { orphanMs: 2_000 })))!;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await left.ended).toBe("left");
  });
});

describe("idle limit", () => {
  it("fires once after the limit without a keystroke; each keystroke starts the limit again", () => {
    vi.useFakeTimers();
    const onIdle = vi.fn();
    const timer = createIdleTimer({ limitMs: 1_000, onIdle });
    vi.advanceTimersByTime(900);
    timer.touch();
    vi.advanceTimersByTime(900);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(onIdle).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it("ends the session with reason idle, and typing keeps it open", async () => {
    vi.useFakeTimers();
    const c = fakeConsole();
    const ends: ConsoleSessionEnd[] = [];
    const s = (await attachConsoleSession(base("vm-idle", c, ends, { idleMs: 1_000 })))!;
    s.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(800);
    s.input("x");
    c.print("lots of output does not count");
    await vi.advanceTimersByTimeAsync(800);
    expect(consoleSessionsOfVm("vm-idle")).toBe(1);
    await vi.advanceTimersByTimeAsync(300);
    expect(await s.ended).toBe("idle");
  });
});
