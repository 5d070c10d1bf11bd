import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { AppError, fromZod } from "../core/errors";
import { decryptSecret } from "../core/secrets";
import { email } from "../core/validation";
import type { PrismaClient } from "../generated/prisma/client";
import { dummyHash, verifyPassword } from "./password";
import type { RequestMeta } from "../access/principal";
import { clearRateLimit, hitRateLimit } from "./rate-limit";
import { createSession, lookupSession, markSecondFactorVerified } from "./session";
import { verifyTotp } from "./totp";

export const SignInInput = z.object({ email, password: z.string().min(1, "must not be empty").max(256) });

const WINDOW_SEC = 15 * 60;
const MAX_PER_ACCOUNT = 5;
const MAX_PER_IP = 30;
// One message for every failure, so a response never tells whether an account exists.
const GENERIC = "Email or password is incorrect.";

export async function signIn(opts: { prisma: PrismaClient; input: unknown; meta: RequestMeta }) {
  const parsed = SignInInput.safeParse(opts.input);
  if (!parsed.success) throw fromZod(parsed.error, "Sign-in");
  const { prisma, meta } = opts;
  const { email: address, password } = parsed.data;

  const perAccount = await hitRateLimit({ prisma, key: `signin:acct:${address}`, windowSec: WINDOW_SEC });
  const perIp = meta.ip
    ? await hitRateLimit({ prisma, key: `signin:ip:${meta.ip}`, windowSec: WINDOW_SEC })
    : { count: 0, resetAt: new Date() };
  if (perAccount.count > MAX_PER_ACCOUNT || perIp.count > MAX_PER_IP) {
    const minutes = Math.max(1, Math.ceil((Math.max(perAccount.resetAt.getTime(), perIp.resetAt.getTime()) - Date.now()) / 60000));
    await recordAudit({ prisma, actorLabel: address, action: "auth.sign_in.rate_limited", meta });
    throw new AppError("RATE_LIMITED", `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`, {
      key: minutes === 1 ? "error.signIn.rateLimitedMinute" : "error.signIn.rateLimited",
      params: { minutes },
    });
  }

  const user = await prisma.user.findUnique({ where: { email: address } });
  const ok =
    user && !user.disabledAt
      ? await verifyPassword(user.passwordHash, password)
      : (await verifyPassword(await dummyHash(), password), false);
  if (!user || !ok) {
    await recordAudit({ prisma, actorLabel: address, action: "auth.sign_in.failed", meta });
    throw new AppError("UNAUTHENTICATED", GENERIC, { key: "error.signIn.wrong" });
  }
  await clearRateLimit({ prisma, key: `signin:acct:${address}` });
  const session = await createSession({ prisma, userId: user.id, mfaVerified: !user.totpEnabled, ip: meta.ip, userAgent: meta.userAgent });
  await recordAudit({ prisma, actorUserId: user.id, actorLabel: user.email, action: "auth.sign_in", meta });
  return { ...session, needsSecondFactor: user.totpEnabled };
}

export async function completeSecondFactor(opts: { prisma: PrismaClient; token: string; code: unknown; meta: RequestMeta }) {
  const { prisma, token, meta } = opts;
  const code = z
    .string()
    .regex(/^\d{6}$/, "must be the 6-digit code")
    .safeParse(typeof opts.code === "string" ? opts.code.trim() : opts.code);
  if (!code.success) throw fromZod(code.error, "Code");
  const found = await lookupSession({ prisma, token });
  if (found.state !== "needs-second-factor")
    throw new AppError("UNAUTHENTICATED", "Your sign-in has expired. Sign in again.", { key: "error.signIn.expired" });
  const limited = await hitRateLimit({ prisma, key: `totp:${found.userId}`, windowSec: WINDOW_SEC });
  if (limited.count > MAX_PER_ACCOUNT)
    throw new AppError("RATE_LIMITED", "Too many codes tried. Sign in again later.", { key: "error.signIn.tooManyCodes" });
  const user = await prisma.user.findUniqueOrThrow({ where: { id: found.userId } });
  if (!user.totpSecretEnc || !verifyTotp(decryptSecret(user.totpSecretEnc), code.data)) {
    await recordAudit({ prisma, actorUserId: user.id, actorLabel: user.email, action: "auth.totp.failed", meta });
    throw new AppError("UNAUTHENTICATED", "That code is not valid. Check your authenticator's clock and try again.", {
      key: "error.code.invalid",
    });
  }
  await markSecondFactorVerified({ prisma, token });
  await clearRateLimit({ prisma, key: `totp:${found.userId}` });
}
