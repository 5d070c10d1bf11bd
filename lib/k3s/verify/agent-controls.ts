import { parse } from "yaml";
import { z } from "zod";
import { control, type ControlResult } from "../../guest/report";
import { runRootScript, type GuestShell, type Privilege } from "../../guest/shell";
import { buildSectionScript, newNonce, parseSections, type Section } from "../../guest/verify/sections";
import { K3S_CONFIG } from "../paths";

// Evidence and controls for a k3s AGENT node, read in one exec. The agent's environment file holds
// the join token: only its K3S_URL line is read (grep), never the token, and only its mode is judged.

export const AGENT_ENV_FILE = "/etc/systemd/system/k3s-agent.service.env";
const G = "k3s CIS hardening guide";

const SECTIONS: Section[] = [
  { name: "unit", command: "systemctl is-active k3s-agent.service" },
  { name: "config", command: `cat ${K3S_CONFIG}` },
  { name: "modes", command: `stat -c '%a %U %n' ${K3S_CONFIG} ${AGENT_ENV_FILE}` },
  { name: "server", command: `grep -m1 '^K3S_URL=' ${AGENT_ENV_FILE} | cut -d= -f2-` },
];

const agentEvidenceSchema = z.object({
  unit: z.string(),
  config: z.record(z.string(), z.unknown()).nullable(),
  modes: z.record(z.string(), z.string()),
  serverUrl: z.string(),
});
export type AgentEvidence = z.infer<typeof agentEvidenceSchema>;

/** Parses the framed sections (pure). */
export function parseAgentEvidence(raw: Record<string, string>): AgentEvidence {
  let config: Record<string, unknown> | null = null;
  try {
    const c = parse(raw.config ?? "") as unknown;
    config = c && typeof c === "object" ? (c as Record<string, unknown>) : null;
  } catch {
    config = null;
  }
  const modes: Record<string, string> = {};
  for (const l of (raw.modes ?? "").split("\n")) {
    const m = /^([0-7]{3,4}) (\S+) (\/\S+)$/.exec(l.trim());
    if (m) modes[m[3]!] = `${m[1]} ${m[2]}`;
  }
  // k3s's installer writes the value shell-quoted (K3S_URL='https://…'); the stand-in writes it bare.
  const serverUrl = (raw.server ?? "").trim().replace(/^(['"])(.*)\1$/, "$2");
  return agentEvidenceSchema.parse({ unit: (raw.unit ?? "").trim(), config, modes, serverUrl });
}

export async function collectAgentEvidence(opts: { shell: GuestShell; privilege?: Privilege }): Promise<AgentEvidence> {
  const nonce = newNonce();
  const { stdout } = await runRootScript({
    shell: opts.shell,
    privilege: opts.privilege,
    script: buildSectionScript(SECTIONS, nonce),
    what: "k3s agent evidence collection",
  });
  return parseAgentEvidence(
    parseSections(
      stdout,
      SECTIONS.map((s) => s.name),
      nonce,
    ),
  );
}

/** The controls of one agent node; ids carry the node name so they sit in the cluster's k3s report (pure). */
export function evaluateAgentControls(opts: { evidence: AgentEvidence; nodeName: string; serverUrl: string }): ControlResult[] {
  const { evidence: e, nodeName } = opts;
  const cfg = e.config ?? {};
  const kubelet = Array.isArray(cfg["kubelet-arg"]) ? (cfg["kubelet-arg"] as unknown[]).map(String) : [];
  const id = (what: string) => `k3s.agent.${what}[${nodeName}]`;
  const mode = (p: string) => e.modes[p] ?? "missing";
  return [
    control({
      id: id("running"),
      title: `The k3s agent runs on ${nodeName}`,
      references: [G],
      evidence: `k3s-agent.service ${e.unit || "?"}`,
      ok: e.unit === "active",
    }),
    control({
      id: id("server"),
      title: `${nodeName} joins the cluster's server`,
      references: [G],
      evidence: `K3S_URL=${e.serverUrl}`,
      ok: e.serverUrl === opts.serverUrl,
    }),
    control({
      id: id("config"),
      title: `${nodeName}: protect-kernel-defaults, its node name and the kubelet's idle timeout`,
      references: [G, "seed §5"],
      evidence: `protect-kernel-defaults=${String(cfg["protect-kernel-defaults"])}; node-name=${String(cfg["node-name"])}; kubelet-arg=${kubelet.join(" ")}`,
      ok:
        cfg["protect-kernel-defaults"] === true &&
        cfg["node-name"] === nodeName &&
        kubelet.includes("streaming-connection-idle-timeout=5m"),
    }),
    control({
      id: id("file-modes"),
      title: `${nodeName}: the agent's config and its token file are root-only`,
      references: [G],
      evidence: `${K3S_CONFIG} ${mode(K3S_CONFIG)}; ${AGENT_ENV_FILE} ${mode(AGENT_ENV_FILE)}`,
      ok: mode(K3S_CONFIG) === "600 root" && mode(AGENT_ENV_FILE) === "600 root",
    }),
  ];
}
