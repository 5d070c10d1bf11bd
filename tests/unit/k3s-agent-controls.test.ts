import { describe, expect, it } from "vitest";
import { AGENT_ENV_FILE, evaluateAgentControls, parseAgentEvidence } from "@/lib/k3s/verify/agent-controls";

const CONFIG = "protect-kernel-defaults: true\nnode-name: c1-agent-1\nkubelet-arg:\n  - streaming-connection-idle-timeout=5m\n";
const raw = (over: Record<string, string> = {}) => ({
  unit: "active\n",
  config: CONFIG,
  modes: `600 root /etc/rancher/k3s/config.yaml\n600 root ${AGENT_ENV_FILE}\n`,
  server: "'https://10.0.2.15:6443'\n",
  ...over,
});
const judge = (over: Record<string, string> = {}) =>
  Object.fromEntries(
    evaluateAgentControls({ evidence: parseAgentEvidence(raw(over)), nodeName: "c1-agent-1", serverUrl: "https://10.0.2.15:6443" }).map(
      (c) => [c.id.replace("[c1-agent-1]", ""), c.status],
    ),
  );

describe("k3s agent controls", () => {
  it("pass for an agent installed as intended (the installer's quoted K3S_URL included)", () => {
    expect(judge()).toEqual({
      "k3s.agent.running": "pass",
      "k3s.agent.server": "pass",
      "k3s.agent.config": "pass",
      "k3s.agent.file-modes": "pass",
    });
  });

  it("fail one by one for a stopped agent, another server, a weakened config and a readable token file", () => {
    expect(judge({ unit: "inactive" })["k3s.agent.running"]).toBe("fail");
    expect(judge({ server: "https://10.9.9.9:6443" })["k3s.agent.server"]).toBe("fail");
    expect(judge({ config: CONFIG.replace("true", "false") })["k3s.agent.config"]).toBe("fail");
    expect(judge({ config: CONFIG.replace("c1-agent-1", "other") })["k3s.agent.config"]).toBe("fail");
    expect(judge({ config: "{{not yaml" })["k3s.agent.config"]).toBe("fail");
    expect(judge({ modes: `600 root /etc/rancher/k3s/config.yaml\n644 root ${AGENT_ENV_FILE}\n` })["k3s.agent.file-modes"]).toBe("fail");
    expect(judge({ modes: "600 root /etc/rancher/k3s/config.yaml\n" })["k3s.agent.file-modes"]).toBe("fail");
  });
});
