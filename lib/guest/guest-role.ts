import type { GuestRole } from "./inputs";

/** k3s nodes are judged by the k3s-server/agent kernel and firewall expectations (pure). */
export function guestRoleOf(clusterRole: string | null): GuestRole {
  if (clusterRole === "server" || clusterRole === "k3s-server") return "k3s-server";
  if (clusterRole === "agent" || clusterRole === "k3s-agent") return "k3s-agent";
  return "vm";
}
