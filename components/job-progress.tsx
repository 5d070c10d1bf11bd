"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { JobSnapshot, JobStepSnapshot } from "@/lib/jobs/watch";

// A job's steps, live. The page renders the current snapshot on the server (so a reload shows where
// the job is at once), and this component then follows the Server-Sent Events stream and re-renders
// the page's server parts (VM state, address, report) when the job ends.

export interface JobProgressLabels {
  title: string;
  step: string;
  state: string;
  duration: string;
  live: string;
  /** heads the last error while the job will try again: it is an earlier attempt's, not the outcome */
  retrying: string;
}

const BADGE: Record<string, string> = {
  SUCCEEDED: "ok",
  RUNNING: "warn",
  FAILED: "bad",
  COMPENSATED: "bad",
  ROLLED_BACK: "bad",
  CANCELLED: "bad",
};

function humanKey(key: string): string {
  const words = key.replace(/[-_.]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

function stepDuration(step: JobStepSnapshot, now: number | null): string {
  if (!step.startedAt) return "–";
  const start = Date.parse(step.startedAt);
  if (step.finishedAt) return formatDuration(Date.parse(step.finishedAt) - start);
  // A running step's clock only ticks after hydration, so server and client render the same text.
  return now === null ? "…" : `${formatDuration(now - start)} …`;
}

export function JobProgress(props: { initial: JobSnapshot; eventsUrl: string; labels: JobProgressLabels }) {
  const router = useRouter();
  const [job, setJob] = useState(props.initial);
  const [live, setLive] = useState(false);
  const [now, setNow] = useState<number | null>(null);
  const done = job.done;

  useEffect(() => {
    if (props.initial.done) return;
    const source = new EventSource(props.eventsUrl);
    source.onopen = () => setLive(true);
    source.addEventListener("snapshot", (e) => setJob(JSON.parse((e as MessageEvent<string>).data) as JobSnapshot));
    const finish = () => {
      source.close();
      setLive(false);
      router.refresh();
    };
    source.addEventListener("end", finish);
    source.addEventListener("failure", finish);
    source.onerror = () => setLive(false); // EventSource reconnects on its own
    return () => source.close();
  }, [props.eventsUrl, props.initial.done, router]);

  useEffect(() => {
    if (done) return;
    setNow(Date.now());
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, [done]);

  return (
    <section className="card" aria-labelledby="job-progress" data-testid="job-progress" data-job-state={job.state}>
      <div className="row">
        <h2 id="job-progress" style={{ margin: 0 }}>
          {props.labels.title}
        </h2>
        <span className={`badge ${BADGE[job.state] ?? ""}`} data-testid="job-state">
          {job.state.toLowerCase().replace("_", " ")}
        </span>
        {live ? <span className="badge live">● {props.labels.live}</span> : null}
      </div>
      <div className="table-wrap">
        <table aria-live="polite">
          <thead>
            <tr>
              <th>{props.labels.step}</th>
              <th>{props.labels.state}</th>
              <th>{props.labels.duration}</th>
            </tr>
          </thead>
          <tbody>
            {job.steps.map((s) => (
              <tr key={s.key} data-step={s.key} data-state={s.state}>
                <td>
                  {humanKey(s.key)}
                  {s.error ? <div className="step-error">{s.error}</div> : null}
                </td>
                <td>
                  <span className={`badge ${BADGE[s.state] ?? ""}`}>{s.state.toLowerCase()}</span>
                  {s.attempts > 1 ? <span className="muted"> ×{s.attempts}</span> : null}
                </td>
                <td className="mono">{stepDuration(s, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {job.lastError && job.state !== "SUCCEEDED" ? (
        job.done ? (
          <p className="alert error">{job.lastError}</p>
        ) : (
          <p className="alert warn" data-testid="job-retrying">
            <strong>{props.labels.retrying}</strong> {job.lastError}
          </p>
        )
      ) : null}
    </section>
  );
}
