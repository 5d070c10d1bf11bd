import { z } from "zod";
import { AppError } from "../core/errors";

// THE one audited place where strings become shell words. Every command Skjold sends to a host is
// an argv array; `quoteCommand` turns it into a single POSIX shell line in which each argument is
// one single-quoted word. Inside single quotes a POSIX shell interprets nothing, so the only
// character needing care is the single quote itself, written as '\'' (close, escaped quote, reopen).
// NUL cannot be carried by a shell word at all (C strings end there), so it is refused.

/** A word that needs no quoting: readable, and inert to a shell (and to virsh's own command parser). */
export const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quoteArg(arg: string): string {
  if (arg.includes("\0")) throw new AppError("VALIDATION", "A shell argument cannot contain a NUL byte");
  if (PLAIN_WORD.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Quotes a whole argv. The program itself must be a plain word (no path tricks, no options). */
export function quoteCommand(argv: readonly string[]): string {
  const [program, ...args] = argv;
  if (!program || !/^[a-z][a-z0-9._-]*$/.test(program)) {
    throw new AppError("VALIDATION", `Refusing to run program ${JSON.stringify(program ?? "")}: not a plain command name`);
  }
  return [program, ...args.map(quoteArg)].join(" ");
}

// Strict names. Even though every argument is quoted, names that reach virsh, file names and XML
// are validated too: a name starting with "-" would be read as an option, "/" would escape the pool.

/** libvirt domain: letter first, then letters, digits, dot, underscore, dash; 1–63 characters. */
export const DomainNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,62}$/, "must start with a letter and use only A-Z a-z 0-9 . _ - (max 63)");
/** storage volume file name inside a pool, with an optional image extension. */
export const VolumeNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, "must start with a letter or digit and use only A-Z a-z 0-9 . _ - (max 128)")
  .refine((v) => !v.includes(".."), "must not contain ..");
export const PoolNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,62}$/, "must start with a letter and use only A-Z a-z 0-9 _ - (max 63)");
/** absolute path on a host: plain segments only, no .., no spaces, no shell or glob characters. */
export const RemotePathSchema = z
  .string()
  .max(4096)
  .regex(/^(\/[A-Za-z0-9_.+@-]+)+\/?$/, "must be an absolute path of plain segments (A-Z a-z 0-9 _ . + @ -)")
  .refine((p) => !p.split("/").some((s) => s === ".." || s === "."), "must not contain . or .. segments");

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError("VALIDATION", `Invalid ${what} ${JSON.stringify(value)}: ${r.error.issues[0]?.message}`);
  return r.data;
}

export const assertDomainName = (v: unknown): string => check(DomainNameSchema, v, "domain name");
export const assertVolumeName = (v: unknown): string => check(VolumeNameSchema, v, "volume name");
export const assertPoolName = (v: unknown): string => check(PoolNameSchema, v, "pool name");
export const assertRemotePath = (v: unknown): string => check(RemotePathSchema, v, "path");
