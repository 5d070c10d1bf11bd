import { NextResponse } from "next/server";
import { getDatabase } from "@/lib/db";

// Unauthenticated liveness and readiness: the process answers and its database does.
export async function GET() {
  try {
    const db = await getDatabase();
    await db.sql.query("SELECT 1");
    return NextResponse.json({ status: "ok", database: db.kind }, { headers: { "cache-control": "no-store" } });
  } catch {
    return NextResponse.json({ status: "unavailable" }, { status: 503, headers: { "cache-control": "no-store", "retry-after": "5" } });
  }
}
