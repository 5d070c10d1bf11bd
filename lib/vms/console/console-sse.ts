import type { ConsoleEvent, ConsoleSession } from "./console-hub";

// A console session's output as Server-Sent Events, so it passes any reverse proxy that passes the
// portal's pages (no WebSocket upgrade, no extra port): `replay` first (what the console showed
// recently, so a reconnecting page redraws instead of repeating), then `output` as the guest prints,
// a comment line every `heartbeatMs` (15 s, well inside nginx's 60 s proxy_read_timeout), and `end`
// with the reason when the session ends, after which the stream closes. Every data line is one JSON
// string, so the guest's bytes can never end an event or forge one.

const encoder = new TextEncoder();

export function consoleFrame(event: ConsoleEvent | { kind: "replay"; text: string }): string {
  const data = event.kind === "end" ? { reason: event.reason } : event.text;
  return `event: ${event.kind}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const CONSOLE_HEARTBEAT = ": heartbeat\n\n";

export const CONSOLE_SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "content-encoding": "none",
  "x-accel-buffering": "no",
  connection: "keep-alive",
};

export function streamConsole(opts: { session: ConsoleSession; signal: AbortSignal; heartbeatMs?: number }): ReadableStream<Uint8Array> {
  let cleanup: () => void = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (text: string) => {
        if (open) controller.enqueue(encoder.encode(text));
      };
      const finish = () => {
        if (!open) return;
        open = false;
        cleanup();
        try {
          controller.close();
        } catch {
          // already cancelled by the client
        }
      };
      send(`retry: 3000\n: connected\n\n`);
      const heartbeat = setInterval(() => send(CONSOLE_HEARTBEAT), opts.heartbeatMs ?? 15_000);
      const unsubscribe = opts.session.subscribe((event) => {
        send(consoleFrame(event));
        if (event.kind === "end") finish();
      });
      const abort = () => finish();
      opts.signal.addEventListener("abort", abort, { once: true });
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
        opts.signal.removeEventListener("abort", abort);
      };
      if (opts.signal.aborted) finish();
    },
    cancel() {
      cleanup();
    },
  });
}
