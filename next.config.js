// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // No gzip in the portal's own process: it runs on the one thread that also runs the embedded
  // database, and compressing every API page there cost the VM list a fifth of its rate
  // (docs/benchmarks/api-lists.md). Production sits behind a TLS reverse proxy, which compresses what
  // it should (docs/operations.md); compressed responses that carry secrets (a new API token, a page's
  // CSRF token) beside attacker-chosen text over TLS are what BREACH reads, so the proxy decides.
  compress: false,
  // Container images are built with SKJOLD_STANDALONE=1 (see Dockerfile); `npm start` runs `next start`.
  output: process.env.SKJOLD_STANDALONE === "1" ? "standalone" : undefined,
  // Type checking is its own step of `npm test` (tsc --noEmit), not part of every build.
  typescript: { ignoreBuildErrors: true },
  // Native and WASM server packages are loaded from node_modules at run time, not bundled.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@node-rs/argon2",
    "node-ssh",
    "ssh2",
    "cpu-features",
    "pdfkit",
    "pg",
  ],
};

export default nextConfig;
