// Runs once when the portal process starts: opens the database (migrating it and seeding the first
// admin on first run) so the first request does not pay for it, and starts the in-process worker
// on the embedded database (a separate worker process cannot open the same PGlite folder).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startPortalRuntime } = await import("./lib/runtime/portal-runtime");
  await startPortalRuntime();
}
