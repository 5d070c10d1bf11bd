"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { JobState, StepState } from "@/lib/generated/prisma/enums";
import type { JobSnapshot, JobStepSnapshot } from "@/lib/jobs/watch";
import { DataTable } from "./data-table";
import { StatusBadge } from "./status-badge";

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
  jobStates: Record<JobState, string>;
  stepStates: Record<StepState, string>;
  /** step names by key; a key without one is shown as its words ("clone-disk" → "Clone disk") */
  stepNames: Record<string, string>;
}

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
        <h2 id="job-progress" className="flush">
          {props.labels.title}
        </h2>
        <StatusBadge of="job" state={job.state} label={props.labels.jobStates[job.state]} testId="job-state" />
        {live ? <span className="badge live">● {props.labels.live}</span> : null}
      </div>
      <DataTable
        live
        rows={job.steps}
        rowKey={(s) => s.key}
        rowProps={(s) => ({ "data-step": s.key, "data-state": s.state })}
        columns={[
          {
            key: "step",
            header: props.labels.step,
            cell: (s) => (
              <>
                {props.labels.stepNames[s.key] ?? humanKey(s.key)}
                {s.error ? <div className="step-error">{s.error}</div> : null}
              </>
            ),
          },
          {
            key: "state",
            header: props.labels.state,
            cell: (s) => (
              <>
                <StatusBadge of="step" state={s.state} label={props.labels.stepStates[s.state]} />
                {s.attempts > 1 ? <span className="muted"> ×{s.attempts}</span> : null}
              </>
            ),
          },
          { key: "duration", header: props.labels.duration, className: "mono", cell: (s) => stepDuration(s, now) },
        ]}
      />
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
