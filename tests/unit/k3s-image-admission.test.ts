import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { k3sClusterSchema } from "@/lib/k3s/inputs";
import { buildK3sManifests, renderManifestFile } from "@/lib/k3s/manifests";
import {
  clusterPolicySchema,
  imageAdmissionPolicy,
  IMAGE_GATE_POLICY,
  NO_KEY_MESSAGE,
  type ClusterPolicy,
} from "@/lib/k3s/manifests/image-admission";
import { parseSigningPublicKey, signingPublicKeysSchema, splitPemBlocks } from "@/lib/k3s/signing-keys";
import { judgeImageGate } from "@/lib/k3s/verify/image-gate";
import { evaluateAttestationConditions } from "@/tests/helpers/kyverno-conditions";

// Seed §2: images with HIGH/CRITICAL findings that have a fix are refused at admission. The policy's
// own JMESPath conditions are evaluated against a Trivy cosign-vuln predicate (the format
// `trivy image --format cosign-vuln` writes), so a change to the policy changes these verdicts.

const pub = (type: "ec" | "rsa" | "ed25519", opts: object = {}) =>
  String(
    (generateKeyPairSync as (t: string, o: object) => { publicKey: KeyObject })(type, opts).publicKey.export({
      type: "spki",
      format: "pem",
    }),
  );
const KEY_A = pub("ec", { namedCurve: "prime256v1" });
const KEY_B = pub("ed25519");
const scan = JSON.parse(readFileSync(new URL("./k3s-fixtures/trivy-cosign-vuln.json", import.meta.url), "utf8")) as unknown;

type Vuln = { VulnerabilityID: string; Severity: string; FixedVersion?: string };
/** The fixture's predicate with one more finding in its language-package result. */
function withFinding(v: Vuln) {
  const p = structuredClone(scan) as { scanner: { result: { Results: { Vulnerabilities?: Vuln[] }[] } } };
  p.scanner.result.Results[1]!.Vulnerabilities = [{ ...v }];
  return p;
}
const conditionsOf = (p: ClusterPolicy) => {
  const rule = p.spec.rules[0]!;
  if (!("verifyImages" in rule)) throw new Error("no verifyImages rule");
  return rule.verifyImages[0]!.attestations[0]!.conditions;
};
const policy = imageAdmissionPolicy(signingPublicKeysSchema.parse([KEY_A, KEY_B]));
const admit = (predicate: unknown, p: ClusterPolicy = policy) => evaluateAttestationConditions(conditionsOf(p), predicate);

describe("image admission: the signed scan's verdict", () => {
  it("admits the fixture: its HIGH and CRITICAL findings have no fix, the one with a fix is MEDIUM", () => {
    expect(admit(scan)).toEqual({ admitted: true, messages: [] });
  });

  it.each([
    ["HIGH with a fix in an npm package", { VulnerabilityID: "CVE-2024-21538", Severity: "HIGH", FixedVersion: "7.0.5" }],
    ["CRITICAL with a fix", { VulnerabilityID: "CVE-2024-45337", Severity: "CRITICAL", FixedVersion: "0.31.0" }],
  ])("refuses %s and names the finding", (_, v) => {
    const r = admit(withFinding(v));
    expect(r.admitted).toBe(false);
    expect(r.messages.join(" ")).toContain(v.VulnerabilityID);
    expect(r.messages.join(" ")).toMatch(/HIGH or CRITICAL findings that have a fix/);
  });

  it.each([
    ["HIGH without a fix", { VulnerabilityID: "CVE-1", Severity: "HIGH" }],
    ["CRITICAL with an empty fixed version", { VulnerabilityID: "CVE-2", Severity: "CRITICAL", FixedVersion: "" }],
    ["MEDIUM with a fix", { VulnerabilityID: "CVE-3", Severity: "MEDIUM", FixedVersion: "1.2.3" }],
  ])("admits %s (nothing to update to yet, or below the bar)", (_, v) => {
    expect(admit(withFinding(v)).admitted).toBe(true);
  });

  it("admits a scan with no findings at all (a scratch image has no Results)", () => {
    const p = structuredClone(scan) as { scanner: { result: Record<string, unknown> } };
    delete p.scanner.result.Results;
    expect(admit(p).admitted).toBe(true);
  });

  it("refuses a predicate that is not a Trivy report", () => {
    expect(admit({}).admitted).toBe(false);
    expect(admit({ scanner: { result: { SchemaVersion: 1, Results: [] } } }).admitted).toBe(false);
    expect(admit({}).messages.join(" ")).toMatch(/Trivy JSON report/);
  });

  it("reads the policy's own conditions: without the fix filter, an unfixable HIGH would be refused", () => {
    const noFixFilter = structuredClone(policy);
    for (const c of conditionsOf(noFixFilter)[0]!.all) c.key = c.key.replace(" && FixedVersion", "");
    expect(admit(withFinding({ VulnerabilityID: "CVE-1", Severity: "HIGH" }), noFixFilter).admitted).toBe(false);
  });
});

describe("image admission: the policy written to the cluster", () => {
  it("requires a vuln attestation signed by one of the team's keys on every image, enforced, fail closed, digest pinned", () => {
    const rule = policy.spec.rules[0]!;
    expect(rule).toMatchObject({
      match: { any: [{ resources: { kinds: ["Pod"] } }] },
      exclude: { any: [{ resources: { namespaces: ["kube-system", "falco", "trivy-system", "kyverno"] } }] },
    });
    expect(policy.spec.webhookConfiguration.failurePolicy).toBe("Fail");
    if (!("verifyImages" in rule)) throw new Error("expected verifyImages");
    const v = rule.verifyImages[0]!;
    expect(v).toMatchObject({ imageReferences: ["*"], failureAction: "Enforce", required: true, mutateDigest: true, verifyDigest: true });
    expect(v.attestations[0]!.type).toBe("https://cosign.sigstore.dev/attestation/vuln/v1");
    expect(v.attestations[0]!.attestors[0]!.count).toBe(1);
    expect(v.attestations[0]!.attestors[0]!.entries.map((e) => e.keys.publicKeys)).toEqual([KEY_A.trim(), KEY_B.trim()]);
    expect(judgeImageGate({ policy, kyvernoVersion: "3.5.2" })).toMatchObject({
      enforced: true,
      evidence: expect.stringContaining("2 signing keys"),
    });
  });

  it("with no key registered, refuses every tenant pod and says how to fix it", () => {
    const none = imageAdmissionPolicy([]);
    expect(none.spec.rules).toEqual([
      expect.objectContaining({ name: "no-signing-key", validate: { failureAction: "Enforce", message: NO_KEY_MESSAGE, deny: {} } }),
    ]);
    expect(judgeImageGate({ policy: none, kyvernoVersion: "3.5.2" })).toMatchObject({
      enforced: true,
      evidence: expect.stringContaining("every tenant pod is refused"),
    });
  });

  it("is in the manifests k3s applies, schema-checked, next to the Kyverno chart, and round-trips through YAML", () => {
    const cluster = k3sClusterSchema.parse({
      version: "v1.31.4+k3s1",
      nodeName: "k3s-1",
      apiAddress: "10.0.0.5",
      install: { mode: "online" },
      imageSigningKeys: [KEY_A],
    });
    const file = buildK3sManifests(cluster).find((m) => m.name === "skjold-image-admission.yaml")!;
    expect(file.objects.map((o) => (o as { kind: string }).kind)).toEqual(["HelmChart", "ClusterPolicy"]);
    expect(parseAllDocuments(renderManifestFile(file)).map((d) => d.toJS())).toEqual(file.objects);
    expect(file.objects[0]).toMatchObject({
      metadata: { name: "kyverno" },
      spec: { chart: "kyverno", version: "3.5.2", targetNamespace: "kyverno" },
    });
    expect(parse((file.objects[0] as { spec: { valuesContent: string } }).spec.valuesContent)).toMatchObject({
      features: { policyExceptions: { enabled: false } },
    });
    expect(() => clusterPolicySchema.parse({ ...policy, spec: { ...policy.spec, validationFailureAction: "Audit" } })).toThrow();
  });

  // Each weakening an operator or tenant might make by hand turns the control to fail.
  const weakened: [string, (p: Record<string, any>) => void][] = [
    [
      "webhook failurePolicy Ignore",
      (p) => {
        p.spec.webhookConfiguration.failurePolicy = "Ignore";
      },
    ],
    [
      "failureAction Audit",
      (p) => {
        p.spec.rules[0].verifyImages[0].failureAction = "Audit";
      },
    ],
    [
      "attestation not required",
      (p) => {
        p.spec.rules[0].verifyImages[0].required = false;
      },
    ],
    [
      "only some images checked",
      (p) => {
        p.spec.rules[0].verifyImages[0].imageReferences = ["registry.example.no/*"];
      },
    ],
    [
      "a tenant namespace exempted",
      (p) => {
        p.spec.rules[0].exclude.any[0].resources.namespaces.push("apps");
      },
    ],
    [
      "the fixable-finding condition dropped",
      (p) => {
        p.spec.rules[0].verifyImages[0].attestations[0].conditions[0].all.pop();
      },
    ],
    [
      "CRITICAL no longer counted",
      (p) => {
        const c = p.spec.rules[0].verifyImages[0].attestations[0].conditions[0].all[1];
        c.key = c.key.replace(" || Severity=='CRITICAL'", "");
      },
    ],
    [
      "a second, permissive rule",
      (p) => {
        p.spec.rules.push({ ...p.spec.rules[0], name: "other" });
      },
    ],
    [
      "no signing key",
      (p) => {
        p.spec.rules[0].verifyImages[0].attestations[0].attestors[0].entries = [];
      },
    ],
  ];
  it.each(weakened)("judges the gate broken when %s", (_, weaken) => {
    const p = structuredClone(policy) as Record<string, any>;
    weaken(p);
    expect(judgeImageGate({ policy: p, kyvernoVersion: "3.5.2" }).enforced).toBe(false);
  });
  it("judges the gate broken without Kyverno or without the policy", () => {
    expect(judgeImageGate({ policy, kyvernoVersion: null })).toEqual({ enforced: false, evidence: "Kyverno is not installed" });
    expect(judgeImageGate({ policy: undefined, kyvernoVersion: "3.5.2" }).evidence).toContain(`no image admission policy`);
    expect(IMAGE_GATE_POLICY).toBe(policy.metadata.name);
  });
});

describe("image signing keys", () => {
  it("accepts cosign's P-256 key, RSA and Ed25519, canonicalised; drops duplicates", () => {
    const rsa = pub("rsa", { modulusLength: 2048 });
    const r = signingPublicKeysSchema.parse([`\n  ${KEY_A}\n`, KEY_A.replace(/\n/g, "\r\n"), rsa, KEY_B]);
    expect(r).toEqual([KEY_A.trim(), rsa.trim(), KEY_B.trim()]);
  });

  it.each([
    [
      "a private key",
      String(generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ type: "pkcs8", format: "pem" })),
      /private key/,
    ],
    ["an SSH key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl", /one PEM public key/],
    ["a weak RSA key", pub("rsa", { modulusLength: 1024 }), /at least 2048 bits/],
    ["a P-521 key", pub("ec", { namedCurve: "secp521r1" }), /P-256 or P-384/],
    ["a damaged key", KEY_A.replace(/\n([A-Za-z0-9+/]{10})/, "\n$1AAAA"), /not a readable public key/],
    ["YAML smuggled after the key", `${KEY_A}\nrules: []`, /one PEM public key/],
  ])("refuses %s with a readable reason", (_, text, reason) => {
    const r = parseSigningPublicKey(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it("splits a pasted bundle into its PEM blocks", () => {
    expect(splitPemBlocks(`${KEY_A}\n\n${KEY_B}`).map((k) => parseSigningPublicKey(k).ok)).toEqual([true, true]);
    expect(splitPemBlocks("  \n")).toEqual([]);
    expect(signingPublicKeysSchema.safeParse([KEY_A, KEY_A, KEY_A, KEY_A, KEY_A, KEY_B]).success).toBe(false);
  });
});
