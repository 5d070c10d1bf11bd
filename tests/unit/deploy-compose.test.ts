import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// docker-compose.yml cannot run here (no Docker engine): it is parsed with YAML merge keys resolved,
// as Compose does, and every hardening property of every app container is asserted.

const ROOT = path.resolve(import.meta.dirname, "../..");

interface Service {
  image?: string;
  build?: unknown;
  user?: string;
  read_only?: boolean;
  cap_drop?: string[];
  cap_add?: string[];
  security_opt?: string[];
  privileged?: boolean;
  tmpfs?: string[];
  volumes?: string[];
  ports?: string[];
  env_file?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
  networks?: string[];
  network_mode?: string;
  restart?: string;
  command?: string[];
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, { internal?: boolean } | null>;
}

const compose = parse(readFileSync(path.join(ROOT, "docker-compose.yml"), "utf8"), { merge: true }) as Compose;
const APP = ["migrate", "portal", "worker"] as const;
const app = (name: (typeof APP)[number]) => compose.services[name]!;
const PINNED = /@sha256:[0-9a-f]{64}$/;
const WRITABLE = new Set(["/tmp", "/var/lib/skjold", "/app/.next/cache"]);

describe("docker-compose.yml", () => {
  it("runs PostgreSQL, a one-shot migrator, the portal and a separate worker", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["migrate", "portal", "postgres", "worker"]);
    expect(app("portal").environment?.SKJOLD_INLINE_WORKER).toBe("0");
    expect(app("worker").command?.join(" ")).toMatch(/scripts\/worker\.ts/);
    expect(app("migrate").command?.join(" ")).toMatch(/scripts\/migrate\.ts/);
  });

  describe.each(APP)("%s", (name) => {
    const s = app(name);
    it("has a read-only root filesystem, writable only where tmpfs is mounted", () => {
      expect(s.read_only).toBe(true);
      const mounts = (s.tmpfs ?? []).map((t) => t.split(":")[0]);
      for (const m of mounts) expect(WRITABLE.has(m!), `${m} is not an expected scratch path`).toBe(true);
      expect(s.volumes ?? []).toEqual([]);
    });
    it("drops all capabilities, adds none and cannot gain privileges", () => {
      expect(s.cap_drop).toContain("ALL");
      expect(s.cap_add ?? []).toEqual([]);
      expect(s.security_opt).toContain("no-new-privileges:true");
      expect(s.privileged ?? false).toBe(false);
      expect(s.network_mode).toBeUndefined();
    });
    it("runs as the image's non-root user", () => {
      const [uid, gid] = (s.user ?? "").split(":").map(Number);
      expect(uid).toBeGreaterThanOrEqual(10000);
      expect(gid).toBeGreaterThanOrEqual(10000);
    });
    it("has CPU and memory limits", () => {
      expect(Number(s.deploy?.resources?.limits?.cpus)).toBeGreaterThan(0);
      expect(s.deploy?.resources?.limits?.memory).toMatch(/^\d+[mg]$/);
    });
    it("takes secrets from the environment file, never from literals in the compose file", () => {
      expect(s.env_file).toContain(".env");
      const env = s.environment ?? {};
      for (const key of ["SKJOLD_SECRET_KEY", "DATABASE_URL"]) expect(env[key], key).toMatch(/\$\{[A-Z_]+:\?/);
      for (const [key, value] of Object.entries(env)) {
        if (/SECRET|PASSWORD|TOKEN/.test(key)) expect(value, key).toMatch(/^\$\{[A-Z_]+:\?[^}]*\}$/);
      }
    });
    it("is built from this repository's Dockerfile", () => {
      expect(s.build).toBeDefined();
    });
  });

  it("starts only programs that exist in the image", () => {
    for (const [name, s] of Object.entries(compose.services)) {
      const args = [...(s.command ?? []), ...(s.healthcheck?.test ?? [])];
      for (const file of args.filter((a) => /^(scripts|deploy|node_modules)\//.test(a))) {
        expect(existsSync(path.join(ROOT, file)), `${name}: ${file}`).toBe(true);
      }
    }
  });

  it("migrates once before the portal and the worker start", () => {
    expect(app("migrate").restart).toBe("no");
    expect(app("migrate").depends_on?.postgres?.condition).toBe("service_healthy");
    for (const name of ["portal", "worker"] as const) {
      expect(app(name).depends_on?.migrate?.condition).toBe("service_completed_successfully");
    }
  });

  it("health-checks the portal and the worker", () => {
    expect(app("portal").healthcheck?.test?.join(" ")).toMatch(/healthcheck\.mjs portal/);
    expect(app("worker").healthcheck?.test?.join(" ")).toMatch(/healthcheck\.mjs worker/);
  });

  it("publishes only the portal, on loopback by default", () => {
    const published = Object.entries(compose.services).filter(([, s]) => s.ports?.length);
    expect(published.map(([n]) => n)).toEqual(["portal"]);
    expect(app("portal").ports).toEqual(["${SKJOLD_BIND:-127.0.0.1}:3000:3000"]);
  });

  describe("postgres", () => {
    const pg = compose.services.postgres!;
    it("uses an image pinned by digest and keeps its data in a named volume", () => {
      expect(pg.image).toMatch(PINNED);
      const [volume, target] = (pg.volumes?.[0] ?? "").split(":");
      expect(target).toBe("/var/lib/postgresql/data");
      expect(compose.volumes).toHaveProperty(volume!);
    });
    it("is reachable only on an internal network and is hardened like the app", () => {
      expect(pg.networks).toEqual(["backend"]);
      expect(compose.networks?.backend?.internal).toBe(true);
      expect(pg.read_only).toBe(true);
      expect(pg.cap_drop).toContain("ALL");
      expect(pg.security_opt).toContain("no-new-privileges:true");
      expect(pg.user).not.toMatch(/^(0|root)\b/);
      expect(pg.environment?.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    });
  });
});
