import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

// A PostgreSQL server of the test's own, to stop and start at will: the shared one at 127.0.0.1:5432
// serves other engineers and must never be stopped. initdb + pg_ctl as the postgres user, trust auth,
// listening on 127.0.0.1 only, on a free port.

const BIN = process.env.SKJOLD_PG_BIN ?? "/usr/lib/postgresql/15/bin";

export interface ThrowawayPostgres {
  port: number;
  url: string;
  start(): void;
  stop(mode?: "fast" | "immediate"): void;
  destroy(): void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function asPostgres(args: string[]): void {
  execFileSync("runuser", ["-u", "postgres", "--", ...args], { stdio: "pipe", timeout: 60_000 });
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), "skjold-pg-"));
  chmodSync(dir, 0o777);
  const data = path.join(dir, "data");
  const port = await freePort();
  asPostgres([`${BIN}/initdb`, "-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const opts = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c shared_buffers=16MB`;
  const start = () => asPostgres([`${BIN}/pg_ctl`, "-D", data, "-l", path.join(dir, "log"), "-o", opts, "-w", "start"]);
  const stop = (mode: "fast" | "immediate" = "fast") => asPostgres([`${BIN}/pg_ctl`, "-D", data, "-m", mode, "-w", "stop"]);
  start();
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy: () => {
      try {
        stop("immediate");
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
