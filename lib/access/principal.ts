import type { Role } from "../generated/prisma/enums";

// Who is acting: a signed-in user (browser session) or an API token bound to one team.
export type Principal =
  | {
      kind: "user";
      userId: string;
      email: string;
      name: string;
      isAdmin: boolean;
      locale: string;
      sessionId: string;
    }
  | {
      kind: "token";
      tokenId: string;
      teamId: string;
      role: Role;
      userId: string;
      label: string;
    };

export interface RequestMeta {
  ip?: string | null;
  userAgent?: string | null;
  correlationId?: string;
}
