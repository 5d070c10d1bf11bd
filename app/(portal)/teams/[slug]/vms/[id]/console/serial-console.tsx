"use client";

import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef, useState } from "react";
import type { ConsoleEndReason } from "@/lib/vms/console/console-hub";

// The VM's serial console in the browser: xterm.js fitted to its box. The session is opened by a
// server action (so a refusal reads in the user's language); output arrives as Server-Sent Events
// from the portal's own origin (no WebSocket, no extra port, any reverse proxy that serves the
// portal serves this), keystrokes leave as small same-origin JSON posts, sent in order.

export interface SerialConsoleLabels {
  connecting: string;
  live: string;
  failed: string;
  openAgain: string;
  hint: string;
  ended: Record<ConsoleEndReason, string>;
}

type Status = { kind: "connecting" } | { kind: "live" } | { kind: "ended"; text: string };

/** Keystrokes per post: the route takes at most 4 KiB of text; a paste goes as several posts. */
const CHUNK = 2048;

interface SerialConsoleProps {
  base: string;
  open: () => Promise<{ sessionId?: string; error?: string }>;
  labels: SerialConsoleLabels;
}

/** "Open again" starts over with a fresh terminal and session. */
export function SerialConsole(props: SerialConsoleProps) {
  const [attempt, setAttempt] = useState(0);
  return <ConsoleView key={attempt} {...props} reopen={() => setAttempt((n) => n + 1)} />;
}

function ConsoleView(props: SerialConsoleProps & { reopen: () => void }) {
  const box = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<Status>({ kind: "connecting" });
  const { base, open, labels, reopen } = props;

  useEffect(() => {
    let disposed = false;
    let cleanup: () => void = () => {};
    void (async () => {
      const [{ Terminal }, { FitAddon }] = await Promise.all([import("@xterm/xterm"), import("@xterm/addon-fit")]);
      if (disposed || !box.current) return;
      const term = new Terminal({ cursorBlink: true, fontSize: 14, scrollback: 5000, fontFamily: "ui-monospace, monospace" });
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.open(box.current);
      fit.fit();
      const resize = new ResizeObserver(() => fit.fit());
      resize.observe(box.current);
      cleanup = () => (resize.disconnect(), term.dispose());

      const opened = await open().catch(() => ({ error: labels.failed }) as { sessionId?: string; error?: string });
      if (disposed) return;
      if (!opened.sessionId) return setStatus({ kind: "ended", text: opened.error ?? labels.failed });
      const url = `${base}/${opened.sessionId}`;
      let ended = false;
      const events = new EventSource(url);
      events.addEventListener("replay", (e) => {
        term.reset();
        term.write(JSON.parse((e as MessageEvent<string>).data) as string);
        setStatus({ kind: "live" });
        term.focus();
      });
      events.addEventListener("output", (e) => term.write(JSON.parse((e as MessageEvent<string>).data) as string));
      events.addEventListener("end", (e) => {
        ended = true;
        events.close();
        const { reason } = JSON.parse((e as MessageEvent<string>).data) as { reason: ConsoleEndReason };
        setStatus({ kind: "ended", text: labels.ended[reason] ?? labels.ended.closed });
      });
      // EventSource retries a dropped stream by itself; one the server refuses (the session is gone) stays closed.
      events.addEventListener("error", () => {
        if (ended || events.readyState !== EventSource.CLOSED) return;
        ended = true;
        setStatus({ kind: "ended", text: labels.ended.closed });
      });
      // Keystrokes in order, one post at a time; a session that is gone ends the view.
      let queue = Promise.resolve();
      const send = (data: string) => {
        for (let i = 0; i < data.length; i += CHUNK) {
          const chunk = data.slice(i, i + CHUNK);
          queue = queue.then(async () => {
            if (ended) return;
            const r = await fetch(`${url}/input`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ data: chunk }),
            }).catch(() => null);
            if (r && r.status === 404) {
              ended = true;
              events.close();
              setStatus({ kind: "ended", text: labels.ended.closed });
            }
          });
        }
      };
      const typing = term.onData(send);
      const leave = () => void fetch(`${url}/close`, { method: "POST", keepalive: true }).catch(() => undefined);
      window.addEventListener("pagehide", leave);
      const previous = cleanup;
      cleanup = () => {
        typing.dispose();
        events.close();
        window.removeEventListener("pagehide", leave);
        if (!ended) leave();
        previous();
      };
    })();
    return () => {
      disposed = true;
      cleanup();
    };
  }, [base, open, labels]);

  return (
    <div className="stack">
      <div className="row spread">
        <p className="muted flush" role="status" data-testid="console-status">
          {status.kind === "connecting" ? labels.connecting : status.kind === "live" ? labels.live : status.text}
        </p>
        {status.kind === "ended" ? (
          <button type="button" className="secondary" onClick={reopen}>
            {labels.openAgain}
          </button>
        ) : null}
      </div>
      <div ref={box} className="serial-console" data-testid="serial-console" />
      <p className="muted fine">{labels.hint}</p>
    </div>
  );
}
