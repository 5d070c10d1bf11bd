import { z } from "zod";
import { PSA_EXEMPT_NAMESPACES } from "../config";
import { helmChart, type HelmChart } from "./image-scanning";

// Seed §2 at the cluster's door: "scan images before they ever touch your production environment
// … if you see Critical CVEs with fixes available, the build fails". The tenant's pipeline scans
// with Trivy and attaches the result to the image as a signed cosign attestation:
//
//   trivy image --format cosign-vuln --output scan.json "$IMAGE"
//   cosign attest --key cosign.key --type vuln --predicate scan.json --tlog-upload=false "$IMAGE"
//
// Kyverno (installed by k3s's helm-controller) then admits a pod only if every image carries such an
// attestation, signed by one of the team's keys, whose scan lists no HIGH or CRITICAL finding that
// has a fix. Unscanned, unsigned or dirty images are refused at admission, before anything runs;
// the image is pinned to the verified digest. Admitted images keep being re-scanned in place by the
// Trivy operator (image-scanning.ts), whose reports surface findings published later.
//
// Why attestations rather than the Trivy operator's reports: the operator scans a ReplicaSet only
// once it has running pods, so a gate waiting for its report would never open, and one reading
// reports afterwards lets the first pods of a dirty image run. Kyverno's CRDs are not in
// kubernetes-models, so the zod schema below (strict: an unknown or misspelt field fails) is their
// boundary check, mirroring kyverno.io/v1 for exactly the fields written here.

export const IMAGE_GATE_POLICY = "skjold-require-clean-image-scan";
const KYVERNO_NAMESPACE = "kyverno";
export const VULN_ATTESTATION_TYPE = "https://cosign.sigstore.dev/attestation/vuln/v1";

/** JMESPath over the attestation's predicate: the findings that refuse an image (HIGH/CRITICAL with a fix). */
const REFUSING_FINDINGS = "scanner.result.Results[].Vulnerabilities[?(Severity=='HIGH' || Severity=='CRITICAL') && FixedVersion][]";

/** Kyverno's "{{ … }}" conditions on the attestation predicate: all must hold for the image to be admitted. */
export const ATTESTATION_CONDITIONS = [
  {
    key: "{{ scanner.result.SchemaVersion }}",
    operator: "Equals" as const,
    value: 2,
    message: "the attestation must hold a Trivy JSON report (trivy image --format cosign-vuln)",
  },
  {
    key: `{{ length(${REFUSING_FINDINGS} || \`[]\`) }}`,
    operator: "Equals" as const,
    value: 0,
    message: `the signed Trivy scan lists HIGH or CRITICAL findings that have a fix: {{ ${REFUSING_FINDINGS}.VulnerabilityID }}. Update the image and scan it again.`,
  },
];

const conditionSchema = z.strictObject({
  key: z.string(),
  operator: z.enum(["Equals", "NotEquals"]),
  value: z.union([z.string(), z.number()]),
  message: z.string(),
});
const resourceFilterSchema = z.strictObject({
  resources: z.strictObject({ kinds: z.array(z.string()).min(1), namespaces: z.array(z.string()).optional() }),
});
const ruleBase = {
  name: z.string().regex(/^[a-z0-9-]{1,63}$/),
  match: z.strictObject({ any: z.array(resourceFilterSchema).min(1) }),
  exclude: z.strictObject({ any: z.array(resourceFilterSchema).min(1) }),
};
const verifyImagesRuleSchema = z.strictObject({
  ...ruleBase,
  verifyImages: z
    .array(
      z.strictObject({
        imageReferences: z.array(z.string()).min(1),
        failureAction: z.literal("Enforce"),
        required: z.boolean(),
        mutateDigest: z.boolean(),
        verifyDigest: z.boolean(),
        attestations: z
          .array(
            z.strictObject({
              type: z.string().url(),
              attestors: z
                .array(
                  z.strictObject({
                    count: z.number().int().min(1),
                    entries: z
                      .array(
                        z.strictObject({
                          keys: z.strictObject({
                            publicKeys: z.string().startsWith("-----BEGIN PUBLIC KEY-----"),
                            rekor: z.strictObject({ ignoreTlog: z.boolean() }),
                            ctlog: z.strictObject({ ignoreSCT: z.boolean() }),
                          }),
                        }),
                      )
                      .min(1),
                  }),
                )
                .min(1),
              conditions: z.array(z.strictObject({ all: z.array(conditionSchema).min(1) })).min(1),
            }),
          )
          .min(1),
      }),
    )
    .min(1),
});
const denyAllRuleSchema = z.strictObject({
  ...ruleBase,
  validate: z.strictObject({ failureAction: z.literal("Enforce"), message: z.string(), deny: z.strictObject({}) }),
});

export const clusterPolicySchema = z.strictObject({
  apiVersion: z.literal("kyverno.io/v1"),
  kind: z.literal("ClusterPolicy"),
  metadata: z.strictObject({ name: z.string(), annotations: z.record(z.string(), z.string()) }),
  spec: z.strictObject({
    background: z.boolean(),
    webhookConfiguration: z.strictObject({ failurePolicy: z.enum(["Fail", "Ignore"]), timeoutSeconds: z.number().int().min(1).max(30) }),
    rules: z.array(z.union([verifyImagesRuleSchema, denyAllRuleSchema])).min(1),
  }),
});
export type ClusterPolicy = z.infer<typeof clusterPolicySchema>;

const podsOutsideSystem = {
  match: { any: [{ resources: { kinds: ["Pod"] } }] },
  // The system namespaces run k3s's own, Falco's, the scanner's and Kyverno's pods; everything else is tenant work.
  exclude: { any: [{ resources: { kinds: ["Pod"], namespaces: [...PSA_EXEMPT_NAMESPACES] } }] },
};

export const NO_KEY_MESSAGE =
  "No image signing key is registered for this cluster, so no image can prove a clean Trivy scan. Add your cosign public key to the cluster in Skjold, then sign your scan attestations with it.";

/** The admission gate; with no registered key it refuses every tenant pod and says why (secure by default). */
export function imageAdmissionPolicy(signingKeys: string[]): ClusterPolicy {
  const rules =
    signingKeys.length === 0
      ? [
          {
            name: "no-signing-key",
            ...podsOutsideSystem,
            validate: { failureAction: "Enforce" as const, message: NO_KEY_MESSAGE, deny: {} },
          },
        ]
      : [
          {
            name: "signed-clean-trivy-scan",
            ...podsOutsideSystem,
            verifyImages: [
              {
                imageReferences: ["*"],
                failureAction: "Enforce" as const,
                required: true,
                mutateDigest: true,
                verifyDigest: true,
                attestations: [
                  {
                    type: VULN_ATTESTATION_TYPE,
                    // Any one of the team's keys (rotation: old and new key side by side). No transparency log:
                    // clusters may be air-gapped, and the key is the trust anchor.
                    attestors: [
                      {
                        count: 1,
                        entries: signingKeys.map((publicKeys) => ({
                          keys: { publicKeys, rekor: { ignoreTlog: true }, ctlog: { ignoreSCT: true } },
                        })),
                      },
                    ],
                    conditions: [{ all: ATTESTATION_CONDITIONS }],
                  },
                ],
              },
            ],
          },
        ];
  return clusterPolicySchema.parse({
    apiVersion: "kyverno.io/v1",
    kind: "ClusterPolicy",
    metadata: {
      name: IMAGE_GATE_POLICY,
      annotations: {
        "policies.kyverno.io/title": "Refuse images without a clean, signed Trivy scan",
        "policies.kyverno.io/description":
          "Every tenant image must carry a cosign vuln attestation signed by the team's key, listing no HIGH or CRITICAL finding that has a fix (seed §2).",
      },
    },
    spec: {
      background: false,
      // If Kyverno is down, pods are refused rather than let through unchecked.
      webhookConfiguration: { failurePolicy: "Fail", timeoutSeconds: 30 },
      rules,
    },
  });
}

/** Kyverno itself: one admission replica on a one-server cluster; no policy exceptions a tenant could create to slip past the gate. */
const KYVERNO_VALUES = {
  admissionController: { replicas: 1 },
  cleanupController: { enabled: false },
  features: { policyExceptions: { enabled: false } },
};

export function kyvernoChart(version: string): HelmChart {
  return helmChart({
    name: "kyverno",
    repo: "https://kyverno.github.io/kyverno/",
    version,
    targetNamespace: KYVERNO_NAMESPACE,
    values: KYVERNO_VALUES,
  });
}
