// Badge colours for cluster and node states on the cluster pages (the label itself is translated).
export const CLUSTER_BADGE: Record<string, string> = {
  READY: "ok",
  PENDING: "warn",
  PROVISIONING: "warn",
  DELETING: "warn",
  FAILED: "bad",
  DELETED: "",
};
export const NODE_BADGE: Record<string, string> = {
  RUNNING: "ok",
  PENDING: "warn",
  PROVISIONING: "warn",
  DELETING: "warn",
  FAILED: "bad",
  STOPPED: "",
  DELETED: "",
};
