import { JobState, StepState } from "@/lib/generated/prisma/enums";
import { en, type MessageKey } from "./dictionaries";
import type { T } from "./server";

// Every state's label at once, for a client component that shows whichever state arrives next
// (job progress follows a live stream). Server pages look one label up with t(`vmState.${state}`).

export function jobStateLabels(t: T): Record<JobState, string> {
  return Object.fromEntries(Object.values(JobState).map((s) => [s, t(`jobState.${s}`)])) as Record<JobState, string>;
}

export function stepStateLabels(t: T): Record<StepState, string> {
  return Object.fromEntries(Object.values(StepState).map((s) => [s, t(`stepState.${s}`)])) as Record<StepState, string>;
}

/** The names of the steps the dictionary knows ("jobStep.clone-disk"), by step key; the page words any other key itself. */
export function stepNameLabels(t: T): Record<string, string> {
  const keys = (Object.keys(en) as MessageKey[]).filter((k) => k.startsWith("jobStep."));
  return Object.fromEntries(keys.map((k) => [k.slice("jobStep.".length), t(k)]));
}
