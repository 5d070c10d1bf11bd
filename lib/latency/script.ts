import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { quoteArg as shQuote } from "../ssh/quote";
import { ProbeAddressSchema } from "./schemas";

// One bash script per host per round runs every probe of every target at once (each in the
// background, each into its own temp file) and then prints them as delimited sections:
//
//   SKJOLD-PROBE 1 <nonce>
//   BEGIN <nonce> <index> icmp|tcp
//   …ping output, or one "try <seq> <rc> <t0> <t1>|<message>" line per TCP connect…
//   END <nonce> <index> icmp|tcp <exit code>
//   DONE <nonce>
//
// The nonce is fresh per round, so nothing a probed host or a tool prints can forge a section.
// TCP connect time is taken inside the child shell with bash's $EPOCHREALTIME (microseconds, no
// fork between the two readings), so process start-up is not counted as network time.

/** Seconds ping waits for each reply (-W) and a TCP connect may take. */
export const PROBE_TIMEOUT_SEC = 2;
/** Seconds between ICMP echoes and between TCP connects (iputils' floor for unprivileged users). */
export const PROBE_SPACING_SEC = 0.2;

export interface ScriptTarget {
  address: string;
  port: number | null;
  icmp: boolean;
  tcp: boolean;
  count: number;
}

export interface ProbeScript {
  /** one shell command line, every argument quoted */
  command: string;
  /** the same as an argv (bash -c BODY), for executors that quote argv themselves (lib/ssh pool) */
  argv: readonly string[];
  nonce: string;
}

const PRELUDE = `export LC_ALL=C
d=$(mktemp -d) || { echo "SKJOLD-FATAL $n mktemp failed"; exit 1; }
trap 'rm -rf "$d"' EXIT
icmp() { # file count timeout wall address
  if ! command -v ping >/dev/null 2>&1; then echo 127 >"$1.rc"; : >"$1"; return; fi
  timeout "$4" ping -n -c "$2" -W "$3" -i ${PROBE_SPACING_SEC} -- "$5" >"$1" 2>&1
  echo $? >"$1.rc"
}
tcp() { # file count timeout address port resolve
  local i out rc ip=$4
  if [ "$6" = 1 ]; then read -r ip _ < <(getent ahosts "$4"); fi
  if [ -z "$ip" ]; then echo "resolve failed" >"$1"; echo 68 >"$1.rc"; return; fi
  for ((i = 1; i <= $2; i++)); do
    out=$(timeout "$3" bash --norc --noprofile -c 't0=$EPOCHREALTIME; exec 3<>"/dev/tcp/$0/$1" || exit 3; t1=$EPOCHREALTIME; exec 3>&-; echo "$t0 $t1"' "$ip" "$5" 2>&1)
    rc=$?
    printf 'try %d %d %s\\n' "$i" "$rc" "$(printf %s "$out" | tr -c '[:print:]' ' ' | cut -c1-200)"
    if [ "$i" -lt "$2" ]; then sleep ${PROBE_SPACING_SEC}; fi
  done >"$1"
  echo 0 >"$1.rc"
}
section() { # index method
  echo "BEGIN $n $1 $2"; cat "$d/$1.$2"; echo "END $n $1 $2 $(cat "$d/$1.$2.rc")"
}`;

function wallSeconds(count: number): number {
  return Math.ceil(count * PROBE_SPACING_SEC + PROBE_TIMEOUT_SEC + 3);
}

export function buildProbeScript(opts: { targets: readonly ScriptTarget[]; nonce?: string }): ProbeScript {
  const nonce = opts.nonce ?? randomBytes(8).toString("hex");
  if (!/^[0-9a-f]{16}$/.test(nonce)) throw new Error("nonce must be 16 hex digits");
  const runs: string[] = [];
  const prints: string[] = [];
  opts.targets.forEach((t, i) => {
    const address = ProbeAddressSchema.parse(t.address);
    const count = String(Math.trunc(t.count));
    if (!(t.count >= 1 && t.count <= 20)) throw new Error("count must be 1..20");
    if (t.icmp) {
      runs.push(`icmp "$d/${i}.icmp" ${count} ${PROBE_TIMEOUT_SEC} ${wallSeconds(t.count)} ${shQuote(address)} &`);
      prints.push(`section ${i} icmp`);
    }
    if (t.tcp) {
      if (t.port === null || !Number.isInteger(t.port) || t.port < 1 || t.port > 65535) throw new Error("TCP probe needs a port");
      const resolve = isIP(address) === 0 ? "1" : "0";
      runs.push(`tcp "$d/${i}.tcp" ${count} ${PROBE_TIMEOUT_SEC} ${shQuote(address)} ${t.port} ${resolve} &`);
      prints.push(`section ${i} tcp`);
    }
  });
  const body = [`n=${nonce}`, PRELUDE, `echo "SKJOLD-PROBE 1 $n"`, ...runs, "wait", ...prints, `echo "DONE $n"`].join("\n");
  const argv = ["bash", "--norc", "--noprofile", "-c", body] as const;
  return { command: argv.map(shQuote).join(" "), argv, nonce };
}
