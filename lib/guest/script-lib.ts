// Shell building blocks shared by the guest and k3s scripts. Everything that varies reaches the
// shell either through shQuote or as base64 (file contents), never spliced in raw.
import { quoteArg } from "../ssh/quote";

/** The team's one audited quoting helper (lib/ssh/quote.ts), under the name the scripts use. */
export const shQuote = (s: string): string => quoteArg(s);

/** Prelude: strict mode, change markers, and `put` which installs a file only when content, mode or owner differ. */
export const SCRIPT_PRELUDE = `set -eu
umask 077
export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
SKJOLD_MARKS=" "
mark() { case "$SKJOLD_MARKS" in *" $1 "*) ;; *) SKJOLD_MARKS="$SKJOLD_MARKS$1 "; echo "SKJOLD_CHANGED $1" ;; esac; }
marked() { case "$SKJOLD_MARKS" in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
die() { echo "SKJOLD_ERROR $*" >&2; exit 1; }
# put PATH MODE OWNER GROUP APPLY BASE64
put() {
  tmp=$(mktemp)
  printf '%s' "$6" | base64 -d > "$tmp"
  if [ -f "$1" ] && cmp -s "$tmp" "$1" && [ "$(stat -c '%a %U %G' "$1")" = "$2 $3 $4" ]; then rm -f "$tmp"; return 0; fi
  if [ "$5" = sudoers ] && ! visudo -cqf "$tmp" >/dev/null; then rm -f "$tmp"; die "sudoers file $1 does not validate"; fi
  if [ "$5" = sshd ] && [ -f "$1" ]; then cp -p "$1" "$1.skjold-prev"; fi
  mkdir -p "$(dirname "$1")"
  install -m "$2" -o "$3" -g "$4" "$tmp" "$1"
  rm -f "$tmp"
  mark "file:$1"
  mark "apply:$5"
}
`;

/**
 * One `put` call. `words` overrides path, owner or group with shell words that are already quoted
 * (e.g. `"$home/.ssh/authorized_keys"` expanded on the guest); by default the file is root's.
 */
export function putFile(
  f: { path: string; mode: string; content: string; apply: string },
  words: { path?: string; owner?: string; group?: string } = {},
): string {
  const b64 = Buffer.from(f.content, "utf8").toString("base64");
  const path = words.path ?? shQuote(f.path);
  return `put ${path} ${shQuote(f.mode)} ${words.owner ?? "root"} ${words.group ?? "root"} ${shQuote(f.apply)} ${shQuote(b64)}`;
}

/** Sets a kernel parameter at runtime only when it differs, so a second run reports nothing. */
export function ensureSysctl(key: string, value: string): string {
  const k = shQuote(key);
  const v = shQuote(value);
  return `[ "$(sysctl -n ${k} 2>/dev/null || echo unset)" = ${v} ] || { sysctl -q -w ${k}=${v} >/dev/null || die "cannot set ${key}"; mark ${shQuote(`sysctl:${key}`)}; }`;
}
