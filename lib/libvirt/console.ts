import { StringDecoder } from "node:string_decoder";
import type { ClientChannel } from "ssh2";
import { assertDomainName, quoteCommand } from "../ssh/quote";
import { targetKey } from "../ssh/target";
import type { HostContext } from "./virsh";

// A domain's serial console through `virsh console` on the host, over the host's pooled SSH
// connection (kept open while the console lives). virtlogd's log files are root's alone and the
// host's SSH user has no sudo for them; `virsh console` needs only its libvirt access. virsh wants a
// terminal, so the channel has a pty. Two uses: provisioning's read-only tap (`tapConsole`: nothing
// is ever written, no keystroke reaches the guest) and a person's console in the browser
// (`openConsole`). `--force` takes the console over from a session a dead worker or portal may have
// left behind. Closing the channel hangs up the pty and virsh exits with it: nothing stays behind
// on the host. Never throws: a console that cannot be attached says so through `attached`.

const ATTACHED = /Escape character is|Connected to domain/;
/** The last line virsh prints before the console is live (so its header never reaches a person's terminal). */
const ATTACHED_INTERACTIVE = /Escape character is/;
/** What virsh prints before the guest's own output; a console whose header is longer is not virsh's. */
const HEADER_MAX = 4_096;
/**
 * Boot taps open at once per host from this process. Each holds an SSH session on the host's pooled
 * connection for as long as a boot is watched; sshd allows 10 sessions per connection by default
 * (MaxSessions), and the steps' own commands need theirs. Past this a boot is waited for unwatched.
 */
const MAX_TAPS_PER_HOST = 4;
/** People's consoles open at once per host from this process (one per VM, shared by its viewers): the same sessions. */
const MAX_CONSOLES_PER_HOST = 3;
const openTaps = new Map<string, number>();
const openConsoles = new Map<string, number>();

/** A place among a host's consoles of one kind, or null when they are all taken; `leave` gives it back. */
function takePlace(counts: Map<string, number>, host: string, max: number): { leave: () => void } | null {
  if ((counts.get(host) ?? 0) >= max) return null;
  counts.set(host, (counts.get(host) ?? 0) + 1);
  return {
    leave: () => {
      const left = (counts.get(host) ?? 1) - 1;
      if (left > 0) counts.set(host, left);
      else counts.delete(host);
    },
  };
}

const NOT_ATTACHED: InteractiveConsole = {
  attached: Promise.resolve(false),
  ended: Promise.resolve(),
  write: () => undefined,
  close: () => undefined,
};

export interface ConsoleTap {
  /** true once virsh is connected to the console; false when it could not attach (then it has closed) */
  readonly attached: Promise<boolean>;
  close(): void;
}

/** An interactive console: what the guest prints comes to `onText`; `write` types on its serial. */
export interface InteractiveConsole extends ConsoleTap {
  /** resolves once the console has ended, whoever ended it (close, virsh exiting, the connection dropping) */
  readonly ended: Promise<void>;
  write(text: string): void;
}

type ConsoleContext = HostContext & { name: string; onText: (text: string) => void; attachTimeoutMs?: number };

/** Reads a booting domain's console for provisioning; at most MAX_TAPS_PER_HOST at once per host. */
export async function tapConsole(ctx: ConsoleContext): Promise<ConsoleTap> {
  const name = assertDomainName(ctx.name);
  // A place among the host's consoles, held from here until the tap ends.
  const place = takePlace(openTaps, targetKey(ctx.target), MAX_TAPS_PER_HOST);
  if (!place) return NOT_ATTACHED;
  const c = await attachConsole(ctx, { name, step: `read the console of ${name}`, attached: ATTACHED, term: "dumb", rows: 50, cols: 200 });
  void c.ended.then(place.leave);
  return { attached: c.attached, close: c.close };
}

/**
 * Attaches to a domain's serial console for a person to type on: an xterm pty (so full-screen
 * programs draw), input written to the channel, output handed on as it arrives. One interactive
 * console per VM is shared by its viewers (lib/vms/console), so the portal never forces out its own.
 */
export async function openConsole(ctx: ConsoleContext): Promise<InteractiveConsole> {
  const name = assertDomainName(ctx.name);
  const place = takePlace(openConsoles, targetKey(ctx.target), MAX_CONSOLES_PER_HOST);
  if (!place) return NOT_ATTACHED;
  const c = await attachConsole(ctx, {
    name,
    step: `open the console of ${name}`,
    attached: ATTACHED_INTERACTIVE,
    term: "xterm-256color",
    rows: 24,
    cols: 80,
  });
  void c.ended.then(place.leave);
  return c;
}

async function attachConsole(
  ctx: ConsoleContext,
  how: { name: string; step: string; attached: RegExp; term: string; rows: number; cols: number },
): Promise<InteractiveConsole> {
  let attachedResolve!: (ok: boolean) => void;
  const attached = new Promise<boolean>((r) => (attachedResolve = r));
  let endedResolve!: () => void;
  const ended = new Promise<void>((r) => (endedResolve = r));
  let channel: ClientChannel | undefined;
  let closed = false;
  let release: () => void = () => {};
  const timer = setTimeout(() => close(), ctx.attachTimeoutMs ?? 10_000);
  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    attachedResolve(false);
    try {
      channel?.close();
    } catch {
      // already gone with its connection
    }
    release();
    endedResolve();
  };

  const decoder = new StringDecoder("utf8");
  let header = "";
  let live = false;
  const deliver = (text: string) => {
    if (!text) return;
    try {
      ctx.onText(text);
    } catch {
      // a reader's fault never ends the console, nor the caller's work
    }
  };
  const receive = (chunk: Buffer) => {
    const text = decoder.write(chunk);
    if (live) return void deliver(text);
    header += text;
    const m = how.attached.exec(header);
    if (!m) {
      if (header.length > HEADER_MAX) close();
      return;
    }
    // The guest's output starts after the line that said virsh attached.
    const lineEnd = header.indexOf("\n", m.index);
    if (lineEnd < 0) return;
    live = true;
    clearTimeout(timer);
    attachedResolve(true);
    deliver(header.slice(lineEnd + 1));
    header = "";
  };

  try {
    const lease = await ctx.pool.lease(ctx.target, how.step);
    release = lease.release;
    const connection = lease.ssh.connection;
    if (!connection || closed) throw new Error("no connection");
    const command = quoteCommand(["virsh", "-c", "qemu:///system", "console", "--force", "--", how.name]);
    connection.exec(command, { pty: { term: how.term, rows: how.rows, cols: how.cols } }, (err, ch) => {
      if (err || closed) {
        ch?.close();
        return close();
      }
      channel = ch;
      ch.on("data", receive);
      ch.stderr.on("data", receive);
      ch.on("close", close);
      ch.on("error", close);
    });
  } catch {
    close();
  }
  return {
    attached,
    ended,
    write(text) {
      if (!closed && channel) channel.write(text);
    },
    close,
  };
}
