import type { Team } from "../generated/prisma/client";
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
      /** The token's team as it was read with the token (one query for both), so a request about it need not read it again. */
      team?: Team;
    };

export interface RequestMeta {
  ip?: string | null;
  userAgent?: string | null;
  correlationId?: string;
}
