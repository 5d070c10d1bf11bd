import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The Dockerfile is parsed, not built (no Docker engine here): each hardening property the image
// promises is asserted on the instructions, so removing one fails this file.

const ROOT = path.resolve(import.meta.dirname, "../..");

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  steps: Instruction[];
}

function parseDockerfile(text: string): Stage[] {
  const logical = text
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, op = "", args = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === "FROM") {
      const [from = "", , name] = args.replace(/--platform=\S+\s+/, "").split(/\s+/);
      stages.push({ from, name: name?.toLowerCase(), steps: [] });
    } else {
      stages.at(-1)?.steps.push({ op: op.toUpperCase(), args });
    }
  }
  return stages;
}

const stages = parseDockerfile(readFileSync(path.join(ROOT, "Dockerfile"), "utf8"));
const runtime = stages.at(-1)!;
const runtimeSteps = (op: string) => runtime.steps.filter((s) => s.op === op);
const PINNED = /^[a-z0-9][a-z0-9._/-]*:[A-Za-z0-9._-]+@sha256:[0-9a-f]{64}$/;

describe("Dockerfile", () => {
  it("is a multi-stage build", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
  });

  it("pins every external base image by digest (a stage may only build on an earlier stage)", () => {
    const earlier = new Set<string>();
    for (const stage of stages) {
      if (!earlier.has(stage.from.toLowerCase())) expect(stage.from).toMatch(PINNED);
      if (stage.name) earlier.add(stage.name);
    }
  });

  it("starts the runtime stage from a clean pinned base, not from a build stage", () => {
    expect(runtime.from).toMatch(PINNED);
  });

  it("runs as a dedicated non-root user with a UID of at least 10000", () => {
    const users = runtimeSteps("USER");
    expect(users.length).toBeGreaterThan(0);
    const [uid, gid] = users.at(-1)!.args.split(":").map(Number);
    expect(uid).toBeGreaterThanOrEqual(10000);
    expect(gid).toBeGreaterThanOrEqual(10000);
    const created = runtimeSteps("RUN").some((s) => new RegExp(`useradd\\b.*--uid ${uid}\\b`).test(s.args));
    expect(created).toBe(true);
    // Nothing after USER may switch back to root.
    const lastUser = runtime.steps.lastIndexOf(users.at(-1)!);
    expect(runtime.steps.slice(lastUser + 1).some((s) => s.op === "RUN" || s.op === "USER")).toBe(false);
  });

  it("ships only production dependencies and no package manager", () => {
    const build = stages.find((s) =>
      runtime.steps.some((r) => r.op === "COPY" && r.args.includes(`--from=${s.name} `) && r.args.includes("node_modules")),
    );
    expect(build, "runtime copies node_modules from a build stage").toBeDefined();
    expect(build!.steps.some((s) => s.op === "RUN" && /npm (prune --omit=dev|ci --omit=dev)/.test(s.args))).toBe(true);
    const runs = runtimeSteps("RUN")
      .map((s) => s.args)
      .join("\n");
    expect(runs).not.toMatch(/\b(npm|yarn|pnpm) (ci|install|i)\b|apt-get install/);
    expect(runs).toMatch(/rm -rf[^\n]*\/usr\/local\/bin\/npm\b/);
    expect(runs).toMatch(/\/usr\/local\/bin\/npx\b/);
  });

  it("copies nothing into the runtime stage straight from the build context", () => {
    for (const copy of [...runtimeSteps("COPY"), ...runtimeSteps("ADD")]) expect(copy.args).toMatch(/--from=/);
  });

  it("bakes no secret into any stage", () => {
    for (const stage of stages) {
      for (const s of stage.steps.filter((x) => x.op === "ENV" || x.op === "ARG")) {
        expect(s.args).not.toMatch(/SECRET|PASSWORD|TOKEN|PRIVATE|DATABASE_URL/i);
      }
    }
  });

  it("has a health check that uses a file the image contains", () => {
    const hc = runtimeSteps("HEALTHCHECK");
    expect(hc).toHaveLength(1);
    const script = /"(deploy\/[^"]+\.mjs)"/.exec(hc[0]!.args)?.[1];
    expect(script).toBeDefined();
    expect(existsSync(path.join(ROOT, script!))).toBe(true);
    expect(runtimeSteps("COPY").some((c) => c.args.includes(script!))).toBe(true);
  });

  it("listens on an unprivileged port, so no capability is ever needed", () => {
    const ports = runtimeSteps("EXPOSE")
      .flatMap((e) => e.args.split(/\s+/))
      .map((p) => Number.parseInt(p, 10));
    expect(ports).toEqual([3000]);
  });
});

describe(".dockerignore", () => {
  const ignored = readFileSync(path.join(ROOT, ".dockerignore"), "utf8")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));

  it("keeps credentials, local modules, build output and history out of the build context", () => {
    for (const pattern of [".env", ".env.*", "*.pem", "*.key", "node_modules", ".next", ".git", "data", "kubeconfig*"]) {
      expect(ignored).toContain(pattern);
    }
  });
});
