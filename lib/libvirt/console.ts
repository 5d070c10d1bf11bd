import { StringDecoder } from "node:string_decoder";
import type { Client, ClientChannel } from "ssh2";
import { assertDomainName, quoteCommand } from "../ssh/quote";
import { targetKey } from "../ssh/target";
import type { HostContext } from "./virsh";

// Reads a domain's serial console through `virsh console` on the host, over the host's pooled SSH
// connection (kept open while the tap lives). virtlogd's log files are root's alone and the host's
// SSH user has no sudo for them; `virsh console` needs only its libvirt access. virsh wants a
// terminal, so the channel has a pty; nothing is ever written to it (no keystroke reaches the
// guest). `--force` takes the console over from a session a dead worker may have left behind.
// Never throws: a console that cannot be read says so through `attached` and nothing else changes.

const ATTACHED = /Escape character is|Connected to domain/;
/** What virsh prints before the guest's own output; a console whose header is longer is not virsh's. */
const HEADER_MAX = 4_096;
/**
 * Consoles open at once per host from this process. Each holds an SSH session on the host's pooled
 * connection for as long as a boot is watched; sshd allows 10 sessions per connection by default
 * (MaxSessions), and the steps' own commands need theirs. Past this a boot is waited for unwatched.
 */
const MAX_TAPS_PER_HOST = 4;
const openTaps = new Map<string, number>();

export interface ConsoleTap {
  /** true once virsh is connected to the console; false when it could not attach (then it has closed) */
  readonly attached: Promise<boolean>;
  close(): void;
}

export async function tapConsole(
  ctx: HostContext & { name: string; onText: (text: string) => void; attachTimeoutMs?: number },
): Promise<ConsoleTap> {
  const name = assertDomainName(ctx.name);
  let attachedResolve!: (ok: boolean) => void;
  const attached = new Promise<boolean>((r) => (attachedResolve = r));
  const failed = (): ConsoleTap => (attachedResolve(false), { attached, close: () => undefined });
  // A place among the host's consoles, held from here until the tap ends.
  const host = targetKey(ctx.target);
  if ((openTaps.get(host) ?? 0) >= MAX_TAPS_PER_HOST) return failed();
  openTaps.set(host, (openTaps.get(host) ?? 0) + 1);
  const leave = () => {
    const left = (openTaps.get(host) ?? 1) - 1;
    if (left > 0) openTaps.set(host, left);
    else openTaps.delete(host);
  };

  let lease: { release: () => void; connection: Client };
  try {
    const { ssh, release } = await ctx.pool.lease(ctx.target, `read the console of ${name}`);
    if (!ssh.connection) return (release(), leave(), failed());
    lease = { connection: ssh.connection, release: () => (release(), leave()) };
  } catch {
    return (leave(), failed());
  }

  let channel: ClientChannel | undefined;
  let closed = false;
  const timer = setTimeout(() => close(), ctx.attachTimeoutMs ?? 10_000);
  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    attachedResolve(false);
    channel?.close();
    lease.release();
  };

  const decoder = new StringDecoder("utf8");
  let header = "";
  let live = false;
  const receive = (chunk: Buffer) => {
    const text = decoder.write(chunk);
    if (live) return void deliver(text);
    header += text;
    const m = ATTACHED.exec(header);
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
  const deliver = (text: string) => {
    if (!text) return;
    try {
      ctx.onText(text);
    } catch {
      // a reader's fault never ends the console, nor the caller's work
    }
  };

  const command = quoteCommand(["virsh", "-c", "qemu:///system", "console", "--force", "--", name]);
  try {
    lease.connection.exec(command, { pty: { term: "dumb", rows: 50, cols: 200 } }, (err, ch) => {
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
  return { attached, close };
}
