import { createInterface } from "node:readline";
import { startDelayResponder } from "./netns-responder";

// The delay responder as its own process, so its timers are not held up by whatever the test
// process is doing (an embedded database on the same event loop added hundreds of milliseconds).
// Protocol on stdio, one JSON object per line:
//   out {"port": N}                           once listening
//   in  {"behaviour": {...}} | {"answered": true}
//   out {"ok": true} | {"answered": N}

const delayMs = Number(process.argv[2]);
if (!Number.isFinite(delayMs) || delayMs < 0) throw new Error("usage: netns-responder-process.ts DELAY_MS");
const responder = await startDelayResponder({ delayMs });
const say = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
say({ port: responder.port });
for await (const line of createInterface({ input: process.stdin })) {
  const msg = JSON.parse(line) as { behaviour?: object; answered?: boolean };
  if (msg.behaviour) Object.assign(responder.behaviour, msg.behaviour);
  say(msg.answered ? { answered: responder.answered() } : { ok: true });
}
await responder.close();
