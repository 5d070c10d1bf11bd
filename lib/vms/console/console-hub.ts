import { randomUUID } from "node:crypto";
import type { InteractiveConsole } from "../../libvirt/console";
import { createIdleTimer } from "./idle-timer";
import { consoleKeystrokes } from "./schemas";

// The portal's open consoles, in this process (the route handlers that stream and take keystrokes
// run in the same Next.js server). One `virsh console` per VM, shared by every person who has that
// VM's console open (a second `virsh console --force` would throw the first one out); each person's
// view is a session with its own idle limit, its own check that its portal sign-in still holds, and
// its own audit row when it ends. The last session to end closes the VM's console, and virsh with it.

export type ConsoleEndReason = "closed" | "idle" | "signed-out" | "console-ended" | "left";

export type ConsoleEvent = { kind: "replay" | "output"; text: string } | { kind: "end"; reason: ConsoleEndReason };

export interface ConsoleSession {
  readonly id: string;
  readonly vmId: string;
  readonly userId: string;
  readonly portalSessionId: string;
  readonly openedAt: Date;
  /** Listens from now on; the console's recent output comes first as one `replay`. Returns the unsubscribe. */
  subscribe(listener: (event: ConsoleEvent) => void): () => void;
  /** Types on the guest's serial console (virsh's escape character removed); counts as activity. */
  input(text: string): void;
  end(reason: ConsoleEndReason): void;
  /** resolves with the reason once the session has ended */
  readonly ended: Promise<ConsoleEndReason>;
}

export interface ConsoleSessionEnd {
  session: ConsoleSession;
  reason: ConsoleEndReason;
  durationMs: number;
}

/** At most this many people's sessions on one VM's console at once. */
export const MAX_CONSOLE_SESSIONS_PER_VM = 3;
/** What a page that reconnects is shown again: the console's last 64 KiB. */
const BACKLOG_CHARS = 64 * 1024;

interface VmLink {
  console: Promise<InteractiveConsole | null>;
  sessions: Set<Session>;
  backlog: string;
}

interface Session extends ConsoleSession {
  emit(event: ConsoleEvent): void;
}

interface Hub {
  links: Map<string, VmLink>;
  sessions: Map<string, Session>;
}

// On globalThis: Next.js may load this module once per route bundle; the consoles are the process's.
const HUB_KEY = Symbol.for("skjold.console-hub");
function hub(): Hub {
  const g = globalThis as { [HUB_KEY]?: Hub };
  g[HUB_KEY] ??= { links: new Map(), sessions: new Map() };
  return g[HUB_KEY];
}

export function findConsoleSession(id: string): ConsoleSession | undefined {
  return hub().sessions.get(id);
}

export function consoleSessionsOfVm(vmId: string): number {
  return hub().links.get(vmId)?.sessions.size ?? 0;
}

export interface AttachOptions {
  vmId: string;
  userId: string;
  portalSessionId: string;
  /** opens the VM's console (lib/libvirt openConsole); called only when no session has it open */
  connect: (onText: (text: string) => void) => Promise<InteractiveConsole>;
  idleMs: number;
  /** whether the person may still have the console (signed in, still allowed in the team), checked every `checkEveryMs` */
  stillAllowed: () => Promise<boolean>;
  checkEveryMs?: number;
  /** a session no page has listened to for this long ends ("left": the tab was closed) */
  orphanMs?: number;
  onEnd: (end: ConsoleSessionEnd) => void | Promise<void>;
}

/** A new session on the VM's console, or null when the VM's console could not be attached. Callers check the limit first. */
export async function attachConsoleSession(opts: AttachOptions): Promise<ConsoleSession | null> {
  const h = hub();
  let link = h.links.get(opts.vmId);
  if (!link) {
    const fresh: VmLink = { console: Promise.resolve(null), sessions: new Set(), backlog: "" };
    fresh.console = (async () => {
      const c = await opts.connect((text) => {
        fresh.backlog = (fresh.backlog + text).slice(-BACKLOG_CHARS);
        for (const s of fresh.sessions) s.emit({ kind: "output", text });
      });
      if (!(await c.attached)) return null;
      void c.ended.then(() => {
        if (h.links.get(opts.vmId) === fresh) h.links.delete(opts.vmId);
        for (const s of [...fresh.sessions]) s.end("console-ended");
      });
      return c;
    })().catch(() => null);
    h.links.set(opts.vmId, fresh);
    link = fresh;
  }
  const current = link;
  const serial = await current.console;
  if (!serial || h.links.get(opts.vmId) !== current) {
    if (h.links.get(opts.vmId) === current) h.links.delete(opts.vmId);
    return null;
  }

  const listeners = new Set<(e: ConsoleEvent) => void>();
  const openedAt = new Date();
  let endedResolve!: (r: ConsoleEndReason) => void;
  const ended = new Promise<ConsoleEndReason>((r) => (endedResolve = r));
  let done = false;
  let orphanTimer: ReturnType<typeof setTimeout> | undefined;
  const orphanMs = opts.orphanMs ?? 60_000;
  const watchOrphan = () => {
    clearTimeout(orphanTimer);
    if (listeners.size === 0 && !done) {
      orphanTimer = setTimeout(() => session.end("left"), orphanMs);
      orphanTimer.unref?.();
    }
  };
  const idle = createIdleTimer({ limitMs: opts.idleMs, onIdle: () => session.end("idle") });
  const check = setInterval(() => {
    opts.stillAllowed().then(
      (ok) => ok || session.end("signed-out"),
      () => undefined, // a database that cannot answer now is asked again at the next check
    );
  }, opts.checkEveryMs ?? 30_000);
  check.unref?.();

  const session: Session = {
    id: randomUUID(),
    vmId: opts.vmId,
    userId: opts.userId,
    portalSessionId: opts.portalSessionId,
    openedAt,
    ended,
    emit(event) {
      for (const l of [...listeners]) {
        try {
          l(event);
        } catch {
          // one page's fault is not another's
        }
      }
    },
    subscribe(listener) {
      if (done) {
        listener({ kind: "end", reason: "closed" });
        return () => undefined;
      }
      listener({ kind: "replay", text: current.backlog });
      listeners.add(listener);
      watchOrphan();
      return () => {
        listeners.delete(listener);
        watchOrphan();
      };
    },
    input(text) {
      if (done) return;
      idle.touch();
      const keys = consoleKeystrokes(text);
      if (keys) serial.write(keys);
    },
    end(reason) {
      if (done) return;
      done = true;
      idle.stop();
      clearInterval(check);
      clearTimeout(orphanTimer);
      h.sessions.delete(session.id);
      current.sessions.delete(session);
      session.emit({ kind: "end", reason });
      listeners.clear();
      // The last one out closes the VM's console: virsh exits with its pty.
      if (current.sessions.size === 0) {
        if (h.links.get(opts.vmId) === current) h.links.delete(opts.vmId);
        serial.close();
      }
      endedResolve(reason);
      void Promise.resolve()
        .then(() => opts.onEnd({ session, reason, durationMs: Date.now() - openedAt.getTime() }))
        .catch(() => undefined);
    },
  };
  current.sessions.add(session);
  h.sessions.set(session.id, session);
  watchOrphan();
  return session;
}
