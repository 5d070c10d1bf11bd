import { AppError, fromZod } from "../core/errors";
import { parseChangedMarkers, runRootScript, type GuestShell, type Privilege } from "../guest/shell";
import { shQuote } from "../guest/script-lib";
import { resolveAirgapArtifacts, type Artifact } from "./artifacts";
import { k3sClusterSchema, type K3sClusterInput } from "./inputs";
import { buildK3sInstallScript, type AgentJoin } from "./install-script";
import { NODE_TOKEN, STAGING_DIR } from "./paths";
import { z } from "zod";

/** An SSH session that can also copy a local file to the guest (SFTP); only air-gap installs upload. */
export type K3sShell = GuestShell & {
  uploadFile(opts: { localPath: string; remotePath: string }): Promise<void>;
};

export type BootstrapK3sResult = { changed: boolean; changes: string[]; uploaded: string[]; ready: boolean; roundTrips: number };

/** Asks the guest which staged artifacts it already has, so a repeat run uploads nothing. */
async function stagedChecksums(shell: GuestShell, privilege: Privilege | undefined, names: string[]): Promise<Map<string, string>> {
  const script = `install -d -m 700 ${STAGING_DIR}\ncd ${STAGING_DIR} && for f in ${names.map(shQuote).join(" ")}; do [ -f "$f" ] && sha256sum "$f"; done; true\n`;
  const { stdout } = await runRootScript({ shell, privilege, script, what: "Artifact check" });
  return new Map(
    stdout.split("\n").flatMap((l) => {
      const m = /^([a-f0-9]{64})\s+(\S+)$/.exec(l.trim());
      return m ? [[m[2]!, m[1]!] as [string, string]] : [];
    }),
  );
}

/**
 * Installs or converges hardened k3s over SSH: artifacts (air-gap: verified, uploaded only when
 * different), config, manifests, installer, restart on config change, readiness via /readyz.
 * Round trips: air-gap 2 + one per uploaded file; online 1.
 */
export async function bootstrapK3s(
  opts: K3sClusterInput & { shell: K3sShell; privilege?: Privilege; join?: AgentJoin; readyTimeoutSeconds?: number },
): Promise<BootstrapK3sResult> {
  const { shell, privilege, join, readyTimeoutSeconds, ...input } = opts;
  const parsed = k3sClusterSchema.safeParse(input);
  if (!parsed.success) throw fromZod(parsed.error, "Invalid k3s options");
  const cluster = parsed.data;
  if (cluster.role === "agent" && !join) throw new AppError("VALIDATION", "A k3s agent needs the server URL and join token");
  let roundTrips = 0;
  const uploaded: string[] = [];
  let artifacts: Artifact[] | "online" = "online";
  if (cluster.install.mode === "airgap") {
    artifacts = await resolveAirgapArtifacts({ dir: cluster.install.artifactsDir, version: cluster.version });
    const remote = await stagedChecksums(
      shell,
      privilege,
      artifacts.map((a) => a.name),
    );
    roundTrips++;
    for (const a of artifacts.filter((x) => remote.get(x.name) !== x.sha256)) {
      await shell.uploadFile({ localPath: a.localPath, remotePath: `${STAGING_DIR}/${a.name}` });
      uploaded.push(a.name);
      roundTrips++;
    }
  }
  const script = buildK3sInstallScript({
    cluster,
    artifacts: artifacts === "online" ? "online" : artifacts.map(({ name, sha256 }) => ({ name, sha256 })),
    join,
    readyTimeoutSeconds,
  });
  const { stdout } = await runRootScript({ shell, privilege, script, what: "k3s bootstrap" });
  roundTrips++;
  if (!stdout.includes("SKJOLD_DONE")) throw new Error("k3s bootstrap script ended without its completion marker");
  const changes = parseChangedMarkers(stdout);
  return { changed: changes.length > 0 || uploaded.length > 0, changes, uploaded, ready: stdout.includes("SKJOLD_READY"), roundTrips };
}

/** What k3s writes as the server's node token (`K10<ca hash>::server:<secret>`) or an operator-set token. */
const joinTokenSchema = z
  .string()
  .min(16)
  .max(512)
  .regex(/^[A-Za-z0-9._:+/=-]+$/);

/**
 * Reads the join token agents need from the server (one exec; the path is fixed, nothing in argv).
 * The token is a secret: the caller passes it only into the agent's install script (stdin) and
 * never stores or logs it. Errors never contain it.
 */
export async function readJoinToken(opts: { shell: GuestShell; privilege?: Privilege; server: string }): Promise<string> {
  const r = await opts.shell.exec(opts.privilege === "root" ? "/bin/sh -s" : "sudo -n /bin/sh -s", { stdin: `cat ${NODE_TOKEN}\n` });
  if (r.code !== 0)
    throw new AppError(
      "HOST_COMMAND_FAILED",
      `Cannot read the k3s join token on ${opts.server} (${NODE_TOKEN}): ${r.stderr.trim().split("\n").slice(-1)[0] || `exit ${r.code}`}`,
    );
  const token = joinTokenSchema.safeParse(r.stdout.trim());
  if (!token.success)
    throw new AppError(
      "HOST_COMMAND_FAILED",
      `The k3s join token in ${NODE_TOKEN} on ${opts.server} is not a valid token (${r.stdout.trim().length} characters)`,
    );
  return token.data;
}
