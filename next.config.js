// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
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
