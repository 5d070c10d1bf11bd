import { OrderClusterInput } from "@/lib/clusters/order/schemas";

// The order form's "Agent nodes" field. The range comes from the order schema itself, so the form's
// min/max, its hint and the check below cannot drift from what lib/clusters accepts.

const schema = OrderClusterInput.shape.agentCount.unwrap();
export const AGENTS = { min: schema.minValue ?? 0, max: schema.maxValue ?? 0 } as const;

/**
 * The field's text as the number the order takes: undefined when left empty (the schema's default
 * applies), null when it is not a whole number in range (the form says so in the user's language).
 */
export function parseAgentCount(raw: string | undefined): number | undefined | null {
  if (raw === undefined || raw.trim() === "") return undefined;
  if (!/^\d{1,3}$/.test(raw.trim())) return null;
  const n = Number(raw.trim());
  return schema.safeParse(n).success ? n : null;
}
