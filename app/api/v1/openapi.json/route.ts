import { NextResponse } from "next/server";
import { buildOpenApi } from "@/lib/api/openapi";

export function GET() {
  return NextResponse.json(buildOpenApi());
}
