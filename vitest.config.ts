import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // Files share the lab host and the machine's two cores: run them one at a time.
          fileParallelism: false,
          // Real guests under TCG on two shared cores: a test that fails once is run once more, and the
          // summary of `npm test` lists it as flaky (it still fails the run if the second try fails).
          retry: 1,
          env: { NODE_ENV: "test", SKJOLD_DATA_DIR: path.resolve(import.meta.dirname, ".skjold/test-data") },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "e2e",
          include: ["e2e/**/*.spec.ts"],
          environment: "node",
          globalSetup: ["e2e/harness/global-setup.ts"],
          testTimeout: 180_000,
          hookTimeout: 600_000,
          fileParallelism: false,
          retry: 1,
        },
      },
    ],
  },
});
