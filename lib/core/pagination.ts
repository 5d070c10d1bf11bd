import { z } from "zod";
import { AppError, fromZod } from "./errors";

// Every list the API returns has one shape, `{ items, nextCursor }`, and is read a page at a time by
// keyset: the cursor carries the sort key of the last row sent (its createdAt and id, say) and the
// next page is the rows after it in the same order. So a query never reads more than limit + 1 rows,
// page 1,000 costs what page 1 does, and a row added or removed while a client walks the list makes
// no other row repeat or go missing. The cursor is opaque to clients (base64url of the list's name
// and the key) and checked strictly when it comes back: a changed one is a 422, never a query error.

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** At most `limit` rows after the position `cursor` names (none: from the first row). */
export interface PageRequest {
  limit: number;
  cursor?: string | null;
}

export interface Page<T> {
  items: T[];
  /** null on the last page */
  nextCursor: string | null;
}

/** How a key's value is written into a cursor and checked when it comes back. */
type KeyKind = "uuid" | "text" | "int" | "time" | "bigint";
export type KeyValue = string | number | bigint | Date;

export interface SortKey<Field extends string = string> {
  field: Field;
  dir: "asc" | "desc";
  kind: KeyKind;
}

/**
 * A list's order: its name (a cursor is good only for the list that gave it out) and its sort keys,
 * the last of them unique (the id), so the order is total and stable. `Where` and `OrderBy` are the
 * model's Prisma input types, so the query built from it type-checks where it is used.
 */
export interface ListOrder<Where, OrderBy> {
  readonly list: string;
  readonly keys: readonly SortKey[];
  /** carries the types only */
  readonly types?: { where: Where; orderBy: OrderBy };
}

export function listOrder<Where, OrderBy>(
  list: string,
  keys: readonly SortKey<Extract<keyof OrderBy, string>>[],
): ListOrder<Where, OrderBy> {
  // The id last: without a unique last key, rows that tie on the others could repeat or go missing.
  if (keys.at(-1)?.field !== "id") throw new Error(`list ${list}: the last sort key must be the id`);
  return { list, keys };
}

const LimitParam = z
  .string()
  .regex(/^\d{1,12}$/, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
  .transform(Number)
  .pipe(z.number().min(1, "must be at least 1").max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`));

const PageQuery = z.object({
  limit: LimitParam.optional(),
  cursor: z.string().max(2048, "is too long to be a cursor this API gave out").optional(),
});

/** `?limit=` (default 50, at most 200) and `?cursor=` of a list request; 422 naming the parameter. */
export function readPageQuery(params: URLSearchParams): PageRequest {
  const parsed = PageQuery.safeParse({ limit: params.get("limit") ?? undefined, cursor: params.get("cursor") ?? undefined });
  if (!parsed.success) throw fromZod(parsed.error, "List");
  return { limit: parsed.data.limit ?? DEFAULT_PAGE_SIZE, cursor: parsed.data.cursor || null };
}

/**
 * One page of a list: `find` runs the model's findMany with the query built here (the caller's
 * filter and the position after the cursor, the list's order, limit + 1 rows); the extra row only
 * tells whether there is a next page. Rows must carry every sort key (select them).
 */
export async function findPage<Row, Where, OrderBy>(opts: {
  order: ListOrder<Where, OrderBy>;
  page: PageRequest;
  where?: Where;
  find: (query: { where: Where; orderBy: OrderBy[]; take: number }) => Promise<Row[]>;
}): Promise<Page<Row>> {
  const { order } = opts;
  const { after, take } = pagePosition(order, opts.page);
  const base = (opts.where ?? {}) as object;
  const where = (after ? { AND: [base, positionAfter(order.keys, after)] } : base) as Where;
  const orderBy = order.keys.map((k) => ({ [k.field]: k.dir })) as OrderBy[];
  return pageOf(order, opts.page, await opts.find({ where, orderBy, take }));
}

/**
 * Where a page starts, for a list read with hand-written SQL: the sort-key values of the last row
 * sent (null on the first page; checked against the list's keys, 422 for a cursor it did not give
 * out) and how many rows to read (limit + 1). Build the page from the rows with `pageOf`.
 */
export function pagePosition(order: ListOrder<unknown, unknown>, page: PageRequest): { after: KeyValue[] | null; take: number } {
  const limit = page.limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    const message = `must be a whole number from 1 to ${MAX_PAGE_SIZE}`;
    throw new AppError("VALIDATION", `List: limit: ${message}`, { details: [{ path: "limit", message }] });
  }
  return { after: page.cursor ? decodeCursor(order, page.cursor) : null, take: limit + 1 };
}

/** The page from up to limit + 1 rows read in the list's order: the extra row only says a next page exists. */
export function pageOf<Row>(order: ListOrder<unknown, unknown>, page: PageRequest, rows: Row[]): Page<Row> {
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > page.limit && last !== undefined ? encodeCursor(order, last) : null };
}

/** The same page with each item changed (a view built from the row). */
export function mapPage<T, U>(page: Page<T>, view: (item: T) => U): Page<U> {
  return { items: page.items.map(view), nextCursor: page.nextCursor };
}

/**
 * Every row of a list, read MAX_PAGE_SIZE rows at a time: for a portal page that shows a whole list
 * (the API hands out one page per request).
 */
export async function readAllPages<T>(read: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await read({ limit: MAX_PAGE_SIZE, cursor });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** Rows strictly after `after` in the keys' order: (k1 > v1) or (k1 = v1 and k2 > v2) or … ("<" for desc). */
function positionAfter(keys: readonly SortKey[], after: readonly KeyValue[]): object {
  return {
    OR: keys.map((key, i) => ({
      ...Object.fromEntries(keys.slice(0, i).map((k, j) => [k.field, after[j]])),
      [key.field]: { [key.dir === "asc" ? "gt" : "lt"]: after[i] },
    })),
  };
}

function encodeCursor(order: ListOrder<unknown, unknown>, row: unknown): string {
  const values = order.keys.map((k) => {
    const v = (row as Record<string, unknown>)[k.field];
    if (v === null || v === undefined) throw new Error(`list ${order.list}: a row has no ${k.field}; select every sort key`);
    return v instanceof Date ? v.toISOString() : typeof v === "bigint" ? v.toString() : v;
  });
  return Buffer.from(JSON.stringify([order.list, ...values])).toString("base64url");
}

const INT4 = 2 ** 31;
const INT8 = 2n ** 63n;

const KEY_VALUE: Record<KeyKind, z.ZodType<KeyValue>> = {
  uuid: z.guid(),
  text: z.string().max(1000),
  int: z
    .number()
    .int()
    .min(-INT4)
    .max(INT4 - 1),
  time: z.iso.datetime().transform((s) => new Date(s)),
  bigint: z
    .string()
    .regex(/^-?\d{1,19}$/)
    .transform((s) => BigInt(s))
    .refine((n) => n >= -INT8 && n < INT8),
};

function decodeCursor(order: ListOrder<unknown, unknown>, cursor: string): KeyValue[] {
  const refused = () =>
    new AppError(
      "VALIDATION",
      "List: cursor: is not a cursor this list gave out (it works only unchanged, on the list that returned it as nextCursor); leave it out to start from the first page",
      { details: [{ path: "cursor", message: "is not a cursor this list gave out" }] },
    );
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw refused();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw refused();
  }
  const shape = z.tuple([z.literal(order.list), ...order.keys.map((k) => KEY_VALUE[k.kind])] as unknown as [z.ZodType, ...z.ZodType[]]);
  const parsed = shape.safeParse(decoded);
  if (!parsed.success) throw refused();
  return (parsed.data as unknown[]).slice(1) as KeyValue[];
}
