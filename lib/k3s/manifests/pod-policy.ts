import { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from "kubernetes-models/admissionregistration.k8s.io/v1";
import { PSA_EXEMPT_NAMESPACES } from "../config";

const POD_POLICY_NAME = "skjold-container-hardening";

const sc = (field: string) => `has(c.securityContext) && has(c.securityContext.${field})`;

/** CEL checks on every container and init container (seed §1): each line is one rule a pod must meet. */
const POD_POLICY_VALIDATIONS = [
  {
    expression: `variables.containers.all(c, ${sc("readOnlyRootFilesystem")} && c.securityContext.readOnlyRootFilesystem == true)`,
    message: "every container must set securityContext.readOnlyRootFilesystem: true",
  },
  {
    expression:
      `variables.containers.all(c, (${sc("runAsNonRoot")} && c.securityContext.runAsNonRoot == true) || ` +
      `(!(${sc("runAsNonRoot")}) && has(object.spec.securityContext) && has(object.spec.securityContext.runAsNonRoot) && object.spec.securityContext.runAsNonRoot == true))`,
    message: "every container must run as non-root (securityContext.runAsNonRoot: true)",
  },
  {
    expression: `variables.containers.all(c, ${sc("capabilities")} && has(c.securityContext.capabilities.drop) && 'ALL' in c.securityContext.capabilities.drop)`,
    message: "every container must drop ALL capabilities",
  },
  {
    expression: `variables.containers.all(c, ${sc("allowPrivilegeEscalation")} && c.securityContext.allowPrivilegeEscalation == false)`,
    message: "every container must set allowPrivilegeEscalation: false",
  },
];

/** Built into Kubernetes 1.30+: no controller to install, enforced by the API server itself. */
export function podHardeningPolicy(): [ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding] {
  return [
    new ValidatingAdmissionPolicy({
      metadata: { name: POD_POLICY_NAME },
      spec: {
        failurePolicy: "Fail",
        matchConstraints: {
          resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] }],
        },
        variables: [
          {
            name: "containers",
            expression: "object.spec.containers + (has(object.spec.initContainers) ? object.spec.initContainers : [])",
          },
        ],
        validations: POD_POLICY_VALIDATIONS,
      },
    }),
    new ValidatingAdmissionPolicyBinding({
      metadata: { name: POD_POLICY_NAME },
      spec: {
        policyName: POD_POLICY_NAME,
        validationActions: ["Deny"],
        matchResources: {
          namespaceSelector: {
            matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: PSA_EXEMPT_NAMESPACES }],
          },
        },
      },
    }),
  ];
}
