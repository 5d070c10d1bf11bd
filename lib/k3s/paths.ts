// Where k3s reads what Skjold writes (k3s CIS hardening guide).
export const K3S_CONFIG = "/etc/rancher/k3s/config.yaml";
export const SERVER_DIR = "/var/lib/rancher/k3s/server";
export const PSA_CONFIG = `${SERVER_DIR}/psa.yaml`;
export const EVENT_RATE_CONFIG = `${SERVER_DIR}/event-rate-limit.yaml`;
export const AUDIT_POLICY = `${SERVER_DIR}/audit.yaml`;
export const AUDIT_LOG = `${SERVER_DIR}/logs/audit.log`;
export const MANIFESTS_DIR = `${SERVER_DIR}/manifests`;
export const KUBECONFIG = "/etc/rancher/k3s/k3s.yaml";
export const AIRGAP_IMAGES_DIR = "/var/lib/rancher/k3s/agent/images";
export const STAGING_DIR = "/var/lib/skjold/k3s-artifacts";
export const K3S_BIN = "/usr/local/bin/k3s";
export const NODE_TOKEN = `${SERVER_DIR}/node-token`;
