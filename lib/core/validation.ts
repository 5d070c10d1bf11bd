import { z } from "zod";

// Shared input rules. Free text is NFC-normalised, trimmed, bounded, and may not carry control
// characters or bidirectional overrides (the "unicode tricks" that make a name display as another).
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

export const safeText = (max: number, min = 1) =>
  z
    .string()
    .max(max * 4, `must be at most ${max} characters`)
    .transform((s) => s.normalize("NFC").trim())
    .pipe(
      z
        .string()
        .min(min, min === 1 ? "must not be empty" : `must be at least ${min} characters`)
        .max(max, `must be at most ${max} characters`)
        .refine((s) => !FORBIDDEN_CHARS.test(s), "must not contain control or direction-override characters"),
    );

export const slug = z
  .string()
  .max(40, "must be at most 40 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "use 1–40 lowercase letters, digits and dashes, not at either end");

export const email = z
  .string()
  .max(254, "must be at most 254 characters")
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.email("must be a valid email address"));

export const password = z.string().min(12, "must be at least 12 characters").max(256, "must be at most 256 characters");

export const uuid = z.uuid("must be a valid id");

export const roleSchema = z.enum(["OWNER", "MEMBER", "VIEWER", "AUDITOR"]);

export const intIn = (min: number, max: number) => z.coerce.number().int("must be a whole number").min(min).max(max);

/** application/json, with or without parameters (charset); media types are case-insensitive. */
function isJsonContentType(header: string | null): boolean {
  return (header ?? "").split(";")[0]!.trim().toLowerCase() === "application/json";
}

/**
 * Reads a request body as JSON with a size limit, so a 1 MB string never reaches a parser. Only a
 * body declared `Content-Type: application/json` is read: a text/plain or form body is what a page
 * on another site can send without a CORS preflight, and a client that sends one has a bug worth
 * telling it about (415). No body and no Content-Type reads as `{}` (routes whose fields are optional).
 */
export async function readJsonBody(req: Request, maxBytes = 64 * 1024): Promise<unknown> {
  const { AppError } = await import("./errors");
  const contentType = req.headers.get("content-type");
  if (contentType !== null && !isJsonContentType(contentType)) throw unsupportedMediaType(AppError, contentType);
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes)
    throw new AppError("PAYLOAD_TOO_LARGE", `Request body is larger than ${maxBytes} bytes`, {
      key: "error.request.tooLarge",
      params: { maxBytes },
    });
  const text = await req.text();
  if (Buffer.byteLength(text) > maxBytes)
    throw new AppError("PAYLOAD_TOO_LARGE", `Request body is larger than ${maxBytes} bytes`, {
      key: "error.request.tooLarge",
      params: { maxBytes },
    });
  if (!text) return {};
  if (contentType === null) throw unsupportedMediaType(AppError, null);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "Request body is not valid JSON", { key: "error.request.notJson" });
  }
}

function unsupportedMediaType(E: typeof import("./errors").AppError, got: string | null) {
  const what = got === null ? "no Content-Type" : `Content-Type ${JSON.stringify(got.slice(0, 100))}`;
  return new E(
    "UNSUPPORTED_MEDIA_TYPE",
    `This route accepts only application/json bodies (got ${what}); send Content-Type: application/json.`,
    {
      details: { expected: "application/json" },
    },
  );
}
