import { PSA_EXEMPT_NAMESPACES } from "../config";
import { ATTESTATION_CONDITIONS, VULN_ATTESTATION_TYPE } from "../manifests/image-admission";

// Reads the image admission gate as the API server returns it (Kyverno adds defaults and status, so
// this is lenient about extra fields and strict about the ones that make it a gate) and says whether
// it still refuses what seed §2 says must be refused.

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export type ImageGateFinding = { enforced: boolean; evidence: string };

function coversTenantPods(rule: Json): string | null {
  const kinds = arr(obj(obj(arr(obj(rule.match).any)[0]).resources).kinds);
  if (arr(obj(rule.match).any).length !== 1 || !kinds.includes("Pod")) return "does not match every Pod";
  const excluded = arr(obj(rule.exclude).any)
    .flatMap((f) => arr(obj(obj(f).resources).namespaces))
    .map(String);
  const extra = excluded.filter((n) => !PSA_EXEMPT_NAMESPACES.includes(n));
  if (arr(obj(rule.match).any).some((f) => obj(obj(f).resources).namespaces || obj(obj(f).resources).namespaceSelector || obj(f).subjects))
    return "matches only some pods";
  return extra.length ? `also exempts ${extra.join(",")}` : null;
}

function verifiesCleanScan(rule: Json): { ok: true; keys: number } | { ok: false; why: string } {
  const vi = arr(rule.verifyImages).map(obj);
  if (vi.length !== 1) return { ok: false, why: "no single verifyImages entry" };
  const v = vi[0]!;
  if (v.failureAction !== "Enforce") return { ok: false, why: `failureAction ${String(v.failureAction ?? "Audit")}` };
  if (!arr(v.imageReferences).includes("*")) return { ok: false, why: `only images ${arr(v.imageReferences).join(",")}` };
  if (v.required === false) return { ok: false, why: "attestation not required" };
  const att = arr(v.attestations)
    .map(obj)
    .find((a) => a.type === VULN_ATTESTATION_TYPE);
  if (!att) return { ok: false, why: "no vuln attestation required" };
  const conds = arr(att.conditions)
    .flatMap((c) => arr(obj(c).all))
    .map(obj);
  const missing = ATTESTATION_CONDITIONS.filter(
    (want) =>
      !conds.some((c) => c.key === want.key && c.operator === want.operator && JSON.stringify(c.value) === JSON.stringify(want.value)),
  );
  if (missing.length || arr(att.conditions).some((c) => obj(c).any))
    return { ok: false, why: `scan conditions changed (${missing.map((m) => m.key).join("; ") || "an any-block"})` };
  const keys = arr(att.attestors)
    .flatMap((a) => arr(obj(a).entries))
    .filter((e) => String(obj(obj(e).keys).publicKeys ?? "").includes("BEGIN PUBLIC KEY")).length;
  return keys > 0 ? { ok: true, keys } : { ok: false, why: "no signing key" };
}

/** The verdict on the gate policy and the Kyverno chart that runs it. */
export function judgeImageGate(opts: { policy: unknown; kyvernoVersion: string | null }): ImageGateFinding {
  if (!opts.kyvernoVersion) return { enforced: false, evidence: "Kyverno is not installed" };
  if (!opts.policy) return { enforced: false, evidence: `kyverno ${opts.kyvernoVersion}; no image admission policy` };
  const spec = obj(obj(opts.policy).spec);
  const failurePolicy = String(obj(spec.webhookConfiguration).failurePolicy ?? spec.failurePolicy ?? "Fail");
  const rules = arr(spec.rules).map(obj);
  const head = `kyverno ${opts.kyvernoVersion}; failurePolicy ${failurePolicy}`;
  if (failurePolicy !== "Fail") return { enforced: false, evidence: `${head}: pods pass when Kyverno is down` };
  if (rules.length !== 1) return { enforced: false, evidence: `${head}: ${rules.length} rules, expected 1` };
  const rule = rules[0]!;
  const scope = coversTenantPods(rule);
  if (scope) return { enforced: false, evidence: `${head}: rule ${String(rule.name)} ${scope}` };
  const validate = obj(rule.validate);
  if (rule.validate !== undefined) {
    const denyAll = validate.failureAction === "Enforce" && JSON.stringify(validate.deny) === "{}";
    return {
      enforced: denyAll,
      evidence: `${head}: ${denyAll ? "no signing key registered, every tenant pod is refused" : "validate rule does not refuse"}`,
    };
  }
  const v = verifiesCleanScan(rule);
  return v.ok
    ? {
        enforced: true,
        evidence: `${head}: every tenant image needs a signed Trivy scan with no fixable HIGH/CRITICAL finding (${v.keys} signing key${v.keys === 1 ? "" : "s"})`,
      }
    : { enforced: false, evidence: `${head}: ${v.why}` };
}
