// A portal process that places orders, for the test of warm guests claimed across processes: it
// connects to the PostgreSQL database, prints "ready", waits for "go" on stdin, places every order
// it was given at once (placeOrder, as the portal's order route does) and prints one
// `RESULT {json}` line: each order's VM id and whether it was served warm. Run with `node --import tsx`.
import { createInterface } from "node:readline";
import type { Principal } from "../../lib/access/principal";
import { openDatabase } from "../../lib/db/connect";
import { placeOrder } from "../../lib/vms/order/place-order";

// input is checked by placeOrder itself (zod), as the order route's body is
type Order = { principal: Principal; teamSlug: string; input: { name: string } & Record<string, unknown> };

const url = process.env.WARM_ORDER_DB_URL;
const orders = JSON.parse(process.env.WARM_ORDER_ORDERS ?? "[]") as Order[];
if (!url || !orders.length) throw new Error("WARM_ORDER_DB_URL and WARM_ORDER_ORDERS are required");

const db = await openDatabase({ kind: "postgres", url, poolSize: orders.length });
// One connection per order, opened before "go", so the orders race on the row locks and not on connecting.
await Promise.all(orders.map(() => db.prisma.$queryRaw`SELECT 1`));
process.stdout.write("ready\n");
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line.trim() === "go") break;
const results = await Promise.all(
  orders.map((o) =>
    placeOrder({ prisma: db.prisma, principal: o.principal, teamSlug: o.teamSlug, input: o.input }).then(
      (r) => ({ name: o.input.name, vmId: r.vm.id, warm: r.vm.warmClaimedAt !== null }),
      (err: unknown) => ({ name: o.input.name, error: String(err) }),
    ),
  ),
);
process.stdout.write(`RESULT ${JSON.stringify(results)}\n`);
await db.close();
process.exit(0);
