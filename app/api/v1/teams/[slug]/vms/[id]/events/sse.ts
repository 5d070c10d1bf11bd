import type { DbClient, JobSnapshot } from "@/lib/jobs";
import { watchJob } from "@/lib/jobs";
import { wordJobErrors } from "@/app/_i18n/lib-text";

// A job's progress as Server-Sent Events: one `snapshot` event per change (the job with its steps),
// a comment line every `heartbeatMs` so proxies keep the connection open, and a final `end` event
// when the job is done, after which the server closes the stream. The browser's EventSource
// reconnects by itself after a network blip; the first event of a connection is always the full
// current snapshot, so nothing is lost in between.

const encoder = new TextEncoder();
const frame = (event: string, data: unknown) => encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  // no-transform and an explicit identity encoding keep next start's gzip from buffering events.
  "cache-control": "no-cache, no-transform",
  "content-encoding": "none",
  "x-accel-buffering": "no",
  connection: "keep-alive",
};

export function streamJobEvents(opts: {
  prisma: DbClient;
  jobId: string;
  signal: AbortSignal;
  heartbeatMs?: number;
  /** The failure's text for the reader (the portal's page words it in its user's language); English by default. */
  failureText?: (err: unknown) => string;
  /** A stored job or step error for the reader (the page's user's language); as stored by default. */
  errorText?: (stored: string) => string;
}): ReadableStream<Uint8Array> {
  const stop = new AbortController();
  const abort = () => stop.abort();
  opts.signal.addEventListener("abort", abort, { once: true });
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (chunk: Uint8Array) => {
        if (!stop.signal.aborted) controller.enqueue(chunk);
      };
      send(encoder.encode(`retry: 3000\n: connected\n\n`));
      heartbeat = setInterval(() => send(encoder.encode(`: heartbeat ${new Date().toISOString()}\n\n`)), opts.heartbeatMs ?? 15_000);
      let last: JobSnapshot | undefined;
      try {
        for await (const snapshot of watchJob({ prisma: opts.prisma, jobId: opts.jobId, signal: stop.signal })) {
          last = snapshot;
          send(frame("snapshot", opts.errorText ? wordJobErrors(snapshot, opts.errorText) : snapshot));
        }
        if (last?.done) send(frame("end", { state: last.state }));
      } catch (err) {
        if (!stop.signal.aborted)
          send(
            frame("failure", {
              message: opts.failureText
                ? opts.failureText(err)
                : err instanceof Error && err.name === "AppError"
                  ? err.message
                  : "The progress stream failed; reload the page.",
            }),
          );
      } finally {
        clearInterval(heartbeat);
        opts.signal.removeEventListener("abort", abort);
        try {
          controller.close();
        } catch {
          /* already cancelled by the client */
        }
      }
    },
    cancel() {
      clearInterval(heartbeat);
      stop.abort();
    },
  });
}
