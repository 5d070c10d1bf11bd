import { search } from "@jmespath-community/jmespath";

// Test-only: evaluates a Kyverno attestation's `conditions` against an attestation predicate the way
// Kyverno does for the parts Skjold's policy uses: "{{ expr }}" is a JMESPath query (Kyverno uses the
// JMESPath community implementation, as this does); a key that is exactly one "{{ … }}" keeps the
// query's JSON type; Equals/NotEquals compare values; a query that fails makes its condition fail (the
// image is refused). Any other operator throws, so a policy that starts using one cannot pass
// unnoticed. This does not verify signatures: that is Kyverno's and cosign's job in a real cluster.

type Condition = { key: string; operator: string; value: unknown; message?: string };
type ConditionBlock = { all?: Condition[]; any?: Condition[] };

const ONE_VAR = /^\{\{\s*([\s\S]+?)\s*\}\}$/;
const VARS = /\{\{\s*([\s\S]+?)\s*\}\}/g;

function substitute(text: string, data: unknown): unknown {
  const whole = ONE_VAR.exec(text);
  if (whole) return search(data as never, whole[1]!);
  return text.replace(VARS, (_, expr: string) => {
    const v = search(data as never, expr);
    return typeof v === "string" ? v : JSON.stringify(v);
  });
}

function holds(c: Condition, data: unknown): { ok: boolean; message: string } {
  let key: unknown;
  try {
    key = substitute(c.key, data);
  } catch (err) {
    return { ok: false, message: `failed to evaluate ${c.key}: ${(err as Error).message}` };
  }
  const equal = JSON.stringify(key) === JSON.stringify(c.value);
  let ok: boolean;
  if (c.operator === "Equals") ok = equal;
  else if (c.operator === "NotEquals") ok = !equal;
  else throw new Error(`kyverno-conditions: operator ${c.operator} is not modelled here`);
  let message = c.message ?? "";
  try {
    message = String(substitute(message, data));
  } catch {
    // Kyverno leaves an unresolvable message as written
  }
  return { ok, message };
}

/** Whether the predicate meets every block (blocks are ANDed; `all` needs all, `any` needs one). */
export function evaluateAttestationConditions(blocks: ConditionBlock[], predicate: unknown): { admitted: boolean; messages: string[] } {
  const messages: string[] = [];
  let admitted = true;
  for (const b of blocks) {
    const all = (b.all ?? []).map((c) => holds(c, predicate));
    const any = (b.any ?? []).map((c) => holds(c, predicate));
    const ok = all.every((r) => r.ok) && (any.length === 0 || any.some((r) => r.ok));
    if (!ok) {
      admitted = false;
      messages.push(...[...all, ...any].filter((r) => !r.ok).map((r) => r.message));
    }
  }
  return { admitted, messages };
}
