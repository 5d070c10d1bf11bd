import type { Principal } from "../../access/principal";
import { notFound } from "../../core/errors";
import { type ConsoleSession, findConsoleSession } from "./console-hub";

/**
 * The caller's own open console session on that VM: the same person in the same sign-in. Anyone
 * else's, an ended one, or one on another VM is simply not found.
 */
export function vmConsoleSession(opts: { principal: Principal; vmId: string; sessionId: string }): ConsoleSession {
  const s = findConsoleSession(opts.sessionId);
  const p = opts.principal;
  if (!s || p.kind !== "user" || s.vmId !== opts.vmId || s.userId !== p.userId || s.portalSessionId !== p.sessionId)
    throw notFound("Console session not found", { key: "error.console.sessionNotFound" });
  return s;
}
