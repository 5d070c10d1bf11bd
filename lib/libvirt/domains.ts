import { z } from "zod";
import { AppError } from "../core/errors";
import { assertDomainName } from "../ssh/quote";
import { targetLabel } from "../ssh/target";
import { DomainStateSchema, parseOrFail, type DomainState } from "./parse";
import { hostScriptError, runHostScript } from "./host-script";
import { runVirsh, runVirshWithXml, type HostContext } from "./virsh";
import { buildDomainXml, type DomainSpec } from "./xml/domain";

/** Defines (creates or updates) a persistent domain from a spec. Returns its name. */
export async function defineDomain(ctx: HostContext & { spec: DomainSpec }): Promise<string> {
  const xml = buildDomainXml(ctx.spec);
  await runVirshWithXml({ ...ctx, args: ["define"], xml, step: `define domain ${ctx.spec.name}` });
  return ctx.spec.name;
}

// Define and start in one round trip; a domain that is already running (or paused, started so by an
// earlier run) is left as it is (a step that runs again), any other failure to start is reported as
// virsh's own error. The XML carries no UUID, so libvirt refuses to define a name it already has
// ("already exists with uuid"): an active one is left as it is, a stopped one (an earlier run of the
// step) is defined anew. `$2` = paused starts its CPUs stopped: the caller attaches to the serial
// console first and resumes it (resumeDomain), so nothing the firmware prints is missed.
const DEFINE_START_SCRIPT = `name=$1
dir=$(mktemp -d /tmp/skjold.XXXXXXXXXX) || fail mktemp
trap 'rm -rf -- "$dir"' EXIT
active() { case "$(virsh domstate -- "$name" 2>/dev/null)" in running|paused) return 0;; esac; return 1; }
cat >"$dir/domain.xml"
if ! virsh define "$dir/domain.xml" >/dev/null 2>"$dir/err"; then
  grep -q 'already exists with uuid' "$dir/err" || { cat "$dir/err" >&2; fail "virsh define"; }
  if active; then printf 'state already-running\\n'; exit 0; fi
  virsh undefine --nvram --checkpoints-metadata -- "$name" >/dev/null || fail "virsh undefine"
  virsh define "$dir/domain.xml" >/dev/null || fail "virsh define"
fi
if [ "$2" = paused ]; then set -- --paused; else set --; fi
if ! virsh start "$@" -- "$name" >/dev/null 2>"$dir/err"; then
  active || { cat "$dir/err" >&2; fail "virsh start"; }
  printf 'state already-running\\n'
  exit 0
fi
printf 'state started\\n'
`;

/**
 * Defines (creates or updates) the domain from a spec and starts it unless it runs already: one round
 * trip. With `paused`, its CPUs wait until resumeDomain (the console is attached in between).
 */
export async function defineAndStartDomain(
  ctx: HostContext & { spec: DomainSpec; paused?: boolean },
): Promise<"started" | "already-running"> {
  const xml = buildDomainXml(ctx.spec);
  const name = assertDomainName(ctx.spec.name);
  const step = `define and start domain ${name}`;
  const args = [name, ctx.paused ? "paused" : "running"];
  const r = await runHostScript({ ...ctx, step, script: DEFINE_START_SCRIPT, args, stdin: xml, timeoutMs: 120_000 });
  if (!r.ok) throw hostScriptError({ ...ctx, step }, r);
  return parseOrFail(z.enum(["started", "already-running"]), r.values.state, `how ${name} was started`);
}

/** Lets a paused domain's CPUs run; nothing to do for one that runs (or is off: that is not this call's to fix). */
export async function resumeDomain(ctx: HostContext & { name: string }): Promise<"resumed" | "not-paused"> {
  const name = assertDomainName(ctx.name);
  if ((await getDomainState({ ...ctx, name })) !== "paused") return "not-paused";
  await runVirsh({ ...ctx, args: ["resume", "--", name], step: `resume domain ${name}` });
  return "resumed";
}

export async function startDomain(ctx: HostContext & { name: string }): Promise<void> {
  const name = assertDomainName(ctx.name);
  if ((await getDomainState({ ...ctx, name })) === "running") return;
  await runVirsh({ ...ctx, args: ["start", "--", name], step: `start domain ${name}`, timeoutMs: 120_000 });
}

/** The domain's state, or null when no such domain is defined. */
export async function getDomainState(ctx: HostContext & { name: string }): Promise<DomainState | null> {
  const name = assertDomainName(ctx.name);
  const r = await runVirsh({ ...ctx, args: ["domstate", "--", name], step: `read state of ${name}`, allowFailure: true });
  if (r.code !== 0) {
    if (/failed to get domain|Domain not found/i.test(r.stderr)) return null;
    throw new AppError("HOST_COMMAND_FAILED", `${targetLabel(ctx.target)}: read state of ${name}: ${r.stderr.trim().slice(0, 300)}`);
  }
  return parseOrFail(DomainStateSchema, r.stdout.trim(), `the state of ${name}`);
}

/** Stops the domain; no error if it is already off. */
export async function destroyDomain(ctx: HostContext & { name: string }): Promise<void> {
  const name = assertDomainName(ctx.name);
  const state = await getDomainState({ ...ctx, name });
  if (state === null || state === "shut off") return;
  await runVirsh({ ...ctx, args: ["destroy", "--", name], step: `force off ${name}` });
}

/**
 * Asks the guest to power off (ACPI) and waits up to `timeoutMs`; forces it off after that.
 * Returns how it ended: "graceful", "forced", or "already-off".
 */
export async function shutdownDomain(
  ctx: HostContext & { name: string; timeoutMs?: number; pollMs?: number },
): Promise<"graceful" | "forced" | "already-off"> {
  const name = assertDomainName(ctx.name);
  const state = await getDomainState({ ...ctx, name });
  if (state === null || state === "shut off") return "already-off";
  await runVirsh({ ...ctx, args: ["shutdown", "--", name], step: `shut down ${name}` });
  const deadline = Date.now() + (ctx.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, ctx.pollMs ?? 1000));
    if ((await getDomainState({ ...ctx, name })) === "shut off") return "graceful";
  }
  await destroyDomain({ ...ctx, name });
  return "forced";
}

/** Removes the definition (forcing the domain off first); with `removeStorage`, its volumes too. */
export async function undefineDomain(ctx: HostContext & { name: string; removeStorage: boolean }): Promise<void> {
  const name = assertDomainName(ctx.name);
  if ((await getDomainState({ ...ctx, name })) === null) return;
  await destroyDomain({ ...ctx, name });
  const args = ["undefine", "--nvram", "--checkpoints-metadata", ...(ctx.removeStorage ? ["--remove-all-storage"] : []), "--", name];
  await runVirsh({ ...ctx, args, step: `undefine ${name}` });
}

export interface DomainSummary {
  name: string;
  state: DomainState;
}

/** Every defined domain with its state, in one round trip (`virsh list --all` table). */
export async function listDomains(ctx: HostContext): Promise<DomainSummary[]> {
  const r = await runVirsh({ ...ctx, args: ["list", "--all"], step: "list domains" });
  return r.stdout
    .split("\n")
    .filter((l) => l.trim())
    .map((line) => {
      const m = /^\s*(?:\d+|-)\s+(\S+)\s+(.+?)\s*$/.exec(line);
      if (!m?.[1] || !m[2])
        return parseOrFail(DomainStateSchema, undefined, `the domain list line ${JSON.stringify(line.slice(0, 80))}`) && ({} as never);
      return { name: m[1], state: parseOrFail(DomainStateSchema, m[2], `the state of ${m[1]}`) };
    });
}

/**
 * Hot-plugs (`attach`) or unplugs (`detach`) a device on a domain, live when it runs and in its
 * persistent definition either way. Safe to repeat: `present` says whether the device (found by
 * `marker` in the domain's XML, e.g. its MAC) is there already, and nothing is done when it is as asked.
 */
export async function changeDomainDevice(
  ctx: HostContext & { name: string; action: "attach" | "detach"; xml: string; marker: string },
): Promise<"changed" | "already"> {
  const name = assertDomainName(ctx.name);
  const dump = await runVirsh({ ...ctx, args: ["dumpxml", "--inactive", "--", name], step: `read ${name}` });
  const present = dump.stdout.includes(ctx.marker);
  if (present === (ctx.action === "attach")) return "already";
  const running = (await getDomainState(ctx)) === "running";
  await runVirshWithXml({
    ...ctx,
    args: [`${ctx.action}-device`, ...(running ? ["--live"] : []), "--config", "--", name],
    xml: ctx.xml,
    step: `${ctx.action} a device on ${name}`,
  });
  return "changed";
}
