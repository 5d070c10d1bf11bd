import { agentNodeName, serverNodeName } from "./schemas";

export type ClusterNodeRole = "server" | "agent";

/** The nodes a cluster order asks for, server first (pure). */
export function plannedNodes(name: string, agentCount: number): { name: string; role: ClusterNodeRole }[] {
  return [
    { name: serverNodeName(name), role: "server" },
    ...Array.from({ length: agentCount }, (_, i) => ({ name: agentNodeName(name, i + 1), role: "agent" as const })),
  ];
}
