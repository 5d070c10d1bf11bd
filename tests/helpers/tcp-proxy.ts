import { connect, createServer, type Server, type Socket } from "node:net";
import { freeLoopbackPort } from "./lab";

// A TCP proxy on a loopback port of the test's own in front of a real sshd (the lab's), so a test can
// make that host unreachable and bring it back without touching the sshd other suites share:
// `close()` stops listening (connections are refused, open ones reset), `drop()` accepts and closes
// at once (the handshake is dropped, as by an sshd that is starting or overloaded), `forward()` and
// `open()` bring it back on the same port.

export class TcpProxy {
  port = 0;
  private mode: "forward" | "drop" = "forward";
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  constructor(private readonly upstream: { host: string; port: number }) {}

  async open(): Promise<void> {
    this.mode = "forward";
    if (this.server) return;
    this.port ||= await freeLoopbackPort();
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.server = server;
  }

  /** Refuses new connections and resets the open ones. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.resetAll();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Accepts and drops every connection before the SSH handshake; open ones are reset. */
  drop(): void {
    this.mode = "drop";
    this.resetAll();
  }

  forward(): void {
    this.mode = "forward";
  }

  private accept(client: Socket): void {
    if (this.mode === "drop") {
      client.destroy();
      return;
    }
    const upstream = connect(this.upstream.port, this.upstream.host);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
      s.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  }

  private resetAll(): void {
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
  }
}
