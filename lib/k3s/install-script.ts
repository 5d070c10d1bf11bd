import { SCRIPT_PRELUDE, putFile, shQuote } from "../guest/script-lib";
import { buildK3sConfigFiles } from "./config";
import type { K3sCluster } from "./inputs";
import { buildK3sManifests, renderManifestFile } from "./manifests";
import { AIRGAP_IMAGES_DIR, K3S_BIN, MANIFESTS_DIR, SERVER_DIR, STAGING_DIR } from "./paths";

export type StagedArtifact = { name: string; sha256: string };
export type AgentJoin = { serverUrl: string; token: string };

const RELEASES = "https://github.com/k3s-io/k3s/releases/download";

/** Online mode: fetch the pinned release's binary, checksum list and install.sh into the staging folder. */
function onlineFetch(version: string): string[] {
  const v = encodeURIComponent(version);
  return [
    `for f in k3s sha256sum-amd64.txt; do [ -f ${STAGING_DIR}/$f ] || curl -sfL --retry 3 -o ${STAGING_DIR}/$f ${shQuote(`${RELEASES}/${v}`)}/$f || die "cannot download $f of k3s ${version}"; done`,
    `[ -f ${STAGING_DIR}/install.sh ] || curl -sfL --retry 3 -o ${STAGING_DIR}/install.sh ${shQuote(`https://raw.githubusercontent.com/k3s-io/k3s/${v}/install.sh`)} || die "cannot download install.sh"`,
    `(cd ${STAGING_DIR} && grep -E '  k3s$' sha256sum-amd64.txt | sha256sum -c --quiet) || { rm -f ${STAGING_DIR}/k3s; die "k3s binary does not match the release checksum list"; }`,
  ];
}

/** Air-gap mode: the staged files must be exactly those verified on the portal. */
function airgapVerify(artifacts: StagedArtifact[]): string[] {
  const images = artifacts.find((a) => a.name.startsWith("k3s-airgap-images"));
  return [
    ...artifacts.map(
      (a) =>
        `echo ${shQuote(`${a.sha256}  ${STAGING_DIR}/${a.name}`)} | sha256sum -c --quiet >/dev/null 2>&1 || die ${shQuote(`uploaded ${a.name} does not match its checksum`)}`,
    ),
    ...(images
      ? [
          `cmp -s ${STAGING_DIR}/${images.name} ${AIRGAP_IMAGES_DIR}/${images.name} || { install -D -m 600 ${STAGING_DIR}/${images.name} ${AIRGAP_IMAGES_DIR}/${images.name}; mark images; }`,
        ]
      : []),
  ];
}

/**
 * The k3s bootstrap as one script (pure): verify artifacts, write config and manifests, run the
 * installer only when the binary changed or k3s is not installed, restart only when config
 * changed, then wait for /readyz by polling the API server (a deadline, not a sleep).
 */
export function buildK3sInstallScript(opts: {
  cluster: K3sCluster;
  artifacts: StagedArtifact[] | "online";
  join?: AgentJoin;
  readyTimeoutSeconds?: number;
}): string {
  const c = opts.cluster;
  const server = c.role === "server";
  const unit = server ? "k3s" : "k3s-agent";
  const env = [
    "INSTALL_K3S_SKIP_DOWNLOAD=true",
    `INSTALL_K3S_VERSION=${shQuote(c.version)}`,
    `INSTALL_K3S_EXEC=${server ? "server" : "agent"}`,
    ...(opts.join ? [`K3S_URL=${shQuote(opts.join.serverUrl)}`, `K3S_TOKEN=${shQuote(opts.join.token)}`] : []),
  ];
  const manifests = server
    ? buildK3sManifests(c).map((m) => ({
        path: `${MANIFESTS_DIR}/${m.name}`,
        mode: "600",
        content: renderManifestFile(m),
        apply: "manifests",
      }))
    : [];
  const timeout = opts.readyTimeoutSeconds ?? 300;
  return [
    SCRIPT_PRELUDE,
    `install -d -m 700 ${STAGING_DIR}`,
    ...(opts.artifacts === "online" ? onlineFetch(c.version) : airgapVerify(opts.artifacts)),
    `chmod 700 ${STAGING_DIR}/k3s`,
    `"${STAGING_DIR}/k3s" --version 2>/dev/null | head -1 | grep -qF ${shQuote(` ${c.version} `)} || die ${shQuote(`the k3s binary is not version ${c.version}`)}`,
    `cmp -s ${STAGING_DIR}/k3s ${K3S_BIN} || { install -D -m 755 ${STAGING_DIR}/k3s ${K3S_BIN}; mark binary; }`,
    `install -d -m 700 ${SERVER_DIR} ${SERVER_DIR}/logs ${MANIFESTS_DIR}`,
    ...buildK3sConfigFiles(c).map((f) => putFile({ ...f, apply: "config" })),
    ...manifests.map((m) => putFile(m)),
    `if marked binary || [ ! -f /etc/systemd/system/${unit}.service ]; then`,
    `  ${env.join(" ")} sh ${STAGING_DIR}/install.sh || die "the k3s installer failed"`,
    "  mark installer",
    "elif marked apply:config; then",
    `  systemctl restart ${unit}.service || die "k3s did not restart"`,
    "  mark restart",
    "fi",
    ...(server
      ? [
          `deadline=$(( $(date +%s) + ${timeout} ))`,
          `until out=$(${K3S_BIN} kubectl get --raw /readyz 2>&1) && [ "$out" = ok ]; do`,
          `  [ "$(date +%s)" -lt "$deadline" ] || die "the API server did not become ready within ${timeout}s: $out"`,
          "  sleep 2",
          "done",
          "echo SKJOLD_READY",
        ]
      : []),
    "echo SKJOLD_DONE",
    "",
  ].join("\n");
}
