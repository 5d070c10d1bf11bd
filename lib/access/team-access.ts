import { AppError, notFound } from "../core/errors";
import type { PrismaClient } from "../generated/prisma/client";
import type { Role } from "../generated/prisma/enums";
import type { Principal } from "./principal";

// What each role may do in a team. Platform admins act as owners everywhere.
export type Capability = "read" | "operate" | "manage" | "audit";

const CAN: Record<Role, ReadonlySet<Capability>> = {
  OWNER: new Set(["read", "operate", "manage", "audit"]),
  MEMBER: new Set(["read", "operate"]),
  AUDITOR: new Set(["read", "audit"]),
  VIEWER: new Set(["read"]),
};

export function roleCan(role: Role, cap: Capability): boolean {
  return CAN[role].has(cap);
}

async function roleInTeam(prisma: PrismaClient, principal: Principal, teamId: string): Promise<Role | null> {
  if (principal.kind === "token") return principal.teamId === teamId ? principal.role : null;
  if (principal.isAdmin) return "OWNER";
  const m = await prisma.membership.findUnique({ where: { userId_teamId: { userId: principal.userId, teamId } } });
  return m?.role ?? null;
}

/**
 * Finds a team the principal belongs to and checks the capability. A team the principal is not in
 * answers 404, exactly like a team that does not exist: its existence is not disclosed.
 */
export async function requireTeam(opts: { prisma: PrismaClient; principal: Principal; slug: string; need: Capability }) {
  const team = !/^[a-z0-9-]{1,40}$/.test(opts.slug)
    ? null
    : opts.principal.kind === "token" && opts.principal.team?.slug === opts.slug
      ? opts.principal.team
      : await opts.prisma.team.findUnique({ where: { slug: opts.slug } });
  const role = team ? await roleInTeam(opts.prisma, opts.principal, team.id) : null;
  if (!team || !role) throw notFound("Team not found", { key: "error.team.notFound" });
  if (!roleCan(role, opts.need)) {
    throw new AppError("FORBIDDEN", `Your role in ${team.name} (${role.toLowerCase()}) cannot do this.`, {
      key: "error.team.roleCannot",
      params: { teamName: team.name, role },
    });
  }
  return { team, role };
}

export function requireAdmin(principal: Principal): void {
  // Admin pages and routes answer 404 to everyone else, like a page that does not exist.
  if (principal.kind !== "user" || !principal.isAdmin) throw notFound("Not found", { key: "error.notFound" });
}
