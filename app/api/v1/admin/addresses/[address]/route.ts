import { lookUpAddress } from "@/lib/network/look-up-address";
import { apiRoute } from "@/app/_server/api";

/** Who (VM, team) held an address at `?at=` (ISO 8601; default now), and every assignment of it. */
export const GET = apiRoute<{ address: string }>(async ({ prisma, principal, req }, { address }) =>
  lookUpAddress({ prisma, principal, input: { address: decodePathSegment(address), at: req.nextUrl.searchParams.get("at") ?? undefined } }),
);

/** An IPv6 address may arrive percent-encoded (`2001%3Adb8%3A%3A1`); a malformed escape is left as typed. */
function decodePathSegment(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
