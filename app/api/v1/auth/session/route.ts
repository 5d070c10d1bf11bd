import { NextResponse, type NextRequest } from "next/server";
import { revokeSession, SESSION_COOKIE } from "@/lib/auth/session";
import { signIn } from "@/lib/auth/sign-in";
import { readJsonBody } from "@/lib/core/validation";
import { getPrisma } from "@/lib/db";
import { jsonError, metaOf } from "@/app/_server/api";
import { sessionCookieOptions } from "@/app/_server/request";

/** Sign in with email and password; sets the session cookie (for scripts and end-to-end tests). */
export async function POST(req: NextRequest) {
  try {
    const prisma = await getPrisma();
    const result = await signIn({ prisma, input: await readJsonBody(req, 4096), meta: metaOf(req) });
    const res = NextResponse.json({ signedIn: true, needsSecondFactor: result.needsSecondFactor, expiresAt: result.expiresAt });
    res.cookies.set(SESSION_COOKIE, result.token, sessionCookieOptions(result.expiresAt));
    return res;
  } catch (err) {
    return jsonError(err);
  }
}

export async function DELETE(req: NextRequest) {
  try {
    const token = req.cookies.get(SESSION_COOKIE)?.value;
    if (token) await revokeSession({ prisma: await getPrisma(), token });
    const res = NextResponse.json({ signedIn: false });
    res.cookies.delete(SESSION_COOKIE);
    return res;
  } catch (err) {
    // The session could not be revoked (the database is down: 503): the cookie stays, so the user can retry.
    return jsonError(err);
  }
}
