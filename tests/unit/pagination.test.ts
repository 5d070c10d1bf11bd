import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import { findPage, listOrder, readAllPages, readPageQuery } from "@/lib/core/pagination";

// The pure half of list pagination: what a request may ask for, the query a page runs, and how a
// cursor is refused. tests/integration/api-pagination.test.ts walks real lists on both databases.

type Row = { id: string; createdAt: Date; name: string };
const ORDER = listOrder<object, Row>("things", [
  { field: "createdAt", dir: "desc", kind: "time" },
  { field: "id", dir: "desc", kind: "uuid" },
]);
const row = (n: number): Row => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  createdAt: new Date(Date.UTC(2026, 11, 1, 0, 0, n)),
  name: `r${n}`,
});

async function refusal(p: Promise<unknown> | (() => unknown)): Promise<AppError> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("readPageQuery", () => {
  it("defaults to the first 50 rows", () => {
    expect(readPageQuery(new URLSearchParams())).toEqual({ limit: 50, cursor: null });
    expect(readPageQuery(new URLSearchParams("limit=200&cursor=abc"))).toEqual({ limit: 200, cursor: "abc" });
    expect(readPageQuery(new URLSearchParams("limit=1&cursor="))).toEqual({ limit: 1, cursor: null });
  });

  it.each([
    ["0", "List: limit: must be at least 1"],
    ["201", "List: limit: must be at most 200"],
    ["1000000", "List: limit: must be at most 200"],
    ["abc", "List: limit: must be a whole number from 1 to 200"],
    ["-1", "List: limit: must be a whole number from 1 to 200"],
    ["2.5", "List: limit: must be a whole number from 1 to 200"],
    ["", "List: limit: must be a whole number from 1 to 200"],
  ])("refuses limit=%s with 422 in words", async (limit, message) => {
    const e = await refusal(() => readPageQuery(new URLSearchParams({ limit })));
    expect(e).toMatchObject({ code: "VALIDATION", status: 422, message });
    expect(e.details).toEqual([expect.objectContaining({ path: "limit" })]);
  });
});

describe("findPage", () => {
  it("asks for limit + 1 rows in the list's order and hands out a cursor only when there are more", async () => {
    const asked: unknown[] = [];
    const first = await findPage({
      order: ORDER,
      page: { limit: 2 },
      where: { teamId: "t" },
      find: async (q) => (asked.push(q), [row(9), row(8), row(7)]),
    });
    expect(asked).toEqual([{ where: { teamId: "t" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 3 }]);
    expect(first.items.map((r) => r.name)).toEqual(["r9", "r8"]);
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);

    const last = await findPage({
      order: ORDER,
      page: { limit: 2, cursor: first.nextCursor },
      where: { teamId: "t" },
      find: async (q) => (asked.push(q), [row(7)]),
    });
    // After r8: an earlier createdAt, or the same createdAt and a smaller id.
    expect(asked[1]).toEqual({
      where: {
        AND: [
          { teamId: "t" },
          {
            OR: [{ createdAt: { lt: row(8).createdAt } }, { createdAt: row(8).createdAt, id: { lt: row(8).id } }],
          },
        ],
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 3,
    });
    expect(last).toEqual({ items: [row(7)], nextCursor: null });
  });

  it("refuses a limit outside 1–200 from a caller in lib/ too", async () => {
    for (const limit of [0, 201, 1.5, Number.NaN])
      expect(await refusal(findPage({ order: ORDER, page: { limit }, find: async () => [] }))).toMatchObject({
        code: "VALIDATION",
        message: "List: limit: must be a whole number from 1 to 200",
      });
  });

  const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const cursorAfter = async (order: typeof ORDER) =>
    (await findPage({ order, page: { limit: 1 }, find: async () => [row(2), row(1)] })).nextCursor!;

  it.each<[string, (good: string, key: unknown[]) => Promise<string> | string]>([
    ["a changed character", (good) => `${good.slice(0, 5)}${good[5] === "A" ? "B" : "A"}${good.slice(6)}`],
    ["characters outside base64url", () => "eyJ!!!"],
    ["base64 that is not JSON", () => Buffer.from("not json").toString("base64url")],
    ["another list's cursor", () => cursorAfter(listOrder<object, Row>("others", ORDER.keys as never))],
    ["an id that is not a uuid (SQL)", (_, key) => encode([key[0], key[1], 'x\'; DROP TABLE "Team"; --'])],
    ["a time that is not a time", (_, key) => encode([key[0], "yesterday", key[2]])],
    ["a key too few", (_, key) => encode(key.slice(0, 2))],
    ["a key too many", (_, key) => encode([...key, "extra"])],
    ["an object instead of the key", () => encode({ list: "things" })],
  ])("refuses a cursor it did not give out (%s) with 422, before any query runs", async (_, make) => {
    const good = await cursorAfter(ORDER);
    const cursor = await make(good, JSON.parse(Buffer.from(good, "base64url").toString()) as unknown[]);
    let queried = false;
    const e = await refusal(
      findPage({
        order: ORDER,
        page: { limit: 1, cursor },
        find: async () => {
          queried = true;
          return [];
        },
      }),
    );
    expect(e).toMatchObject({
      code: "VALIDATION",
      status: 422,
      message: expect.stringContaining("cursor: is not a cursor this list gave out"),
    });
    expect(queried).toBe(false);
  });

  it("a key value the rows lack is a programming error, not a silent last page", async () => {
    await expect(
      findPage({ order: ORDER, page: { limit: 1 }, find: async () => [{ name: "a" }, { name: "b" }] as unknown as Row[] }),
    ).rejects.toThrow("list things: a row has no createdAt; select every sort key");
  });
});

describe("readAllPages", () => {
  it("follows nextCursor to the end, 200 rows a page", async () => {
    const rows = Array.from({ length: 450 }, (_, i) => row(1000 - i));
    const asked: (string | null | undefined)[] = [];
    const all = await readAllPages((page) => {
      asked.push(page.cursor);
      expect(page.limit).toBe(200);
      return findPage({
        order: ORDER,
        page,
        find: async (q) => {
          const after = (q.where as { AND?: [object, { OR: { createdAt: { lt: Date } }[] }] }).AND?.[1].OR[0]?.createdAt.lt;
          return rows.filter((r) => !after || r.createdAt < after).slice(0, q.take);
        },
      });
    });
    expect(all).toEqual(rows);
    expect(asked).toHaveLength(3);
    expect(asked[0]).toBeNull();
  });
});
