import type { ClusterState, HostStatus, JobState, StepState, VmState } from "@/lib/generated/prisma/enums";

// One map from a thing's state to its badge's colour, for every state the portal shows. The label
// comes from the caller, already in the user's language (a client component has no dictionary).

export type Tone = "ok" | "warn" | "bad" | "";

export const STATE_TONES = {
  vm: { PENDING: "warn", PROVISIONING: "warn", RUNNING: "ok", STOPPED: "", FAILED: "bad", DELETING: "warn", DELETED: "" },
  cluster: { PENDING: "warn", PROVISIONING: "warn", READY: "ok", FAILED: "bad", DELETING: "warn", DELETED: "" },
  host: { PENDING_KEY: "warn", ONLINE: "ok", OFFLINE: "warn", ERROR: "bad", KEY_MISMATCH: "bad" },
  job: { QUEUED: "", RUNNING: "warn", SUCCEEDED: "ok", FAILED: "bad", ROLLED_BACK: "bad", CANCELLED: "bad" },
  step: { PENDING: "", RUNNING: "warn", SUCCEEDED: "ok", FAILED: "bad", COMPENSATED: "bad" },
  /** a hardening control's result */
  control: { pass: "ok", fail: "bad", not_applicable: "" },
  token: { active: "ok", revoked: "bad" },
  /** a latency figure's freshness */
  latency: { ok: "ok", stale: "warn", "no-data": "bad" },
} as const satisfies {
  vm: Record<VmState, Tone>;
  cluster: Record<ClusterState, Tone>;
  host: Record<HostStatus, Tone>;
  job: Record<JobState, Tone>;
  step: Record<StepState, Tone>;
  [kind: string]: Record<string, Tone>;
};

export type StateKind = keyof typeof STATE_TONES;
export type StateOf<K extends StateKind> = keyof (typeof STATE_TONES)[K] & string;

export function stateTone<K extends StateKind>(of: K, state: StateOf<K>): Tone {
  return (STATE_TONES[of] as Record<string, Tone>)[state] ?? "";
}

/**
 * A state as a coloured badge. `plain` keeps the neutral grey where a page has always shown the
 * state without colour (a VM's own heading, the team overview). `exposeState` adds `data-state` for
 * tests and scripts that read the state rather than its translated label.
 */
export function StatusBadge<K extends StateKind>(props: {
  of: K;
  state: StateOf<K>;
  label: string;
  plain?: boolean;
  exposeState?: boolean;
  testId?: string;
  title?: string;
}) {
  const tone = props.plain ? "" : stateTone(props.of, props.state);
  return (
    <span
      className={`badge ${tone}`}
      data-testid={props.testId}
      data-state={props.exposeState ? props.state : undefined}
      title={props.title}
    >
      {props.label}
    </span>
  );
}
