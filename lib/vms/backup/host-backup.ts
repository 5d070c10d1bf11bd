import { AppError } from "../../core/errors";
import { errorMessage } from "../../core/error-text";
import { hostScriptError, runHostScript } from "../../libvirt/host-script";
import type { HostContext } from "../../libvirt/virsh";
import { assertDomainName, assertPoolName, assertRemotePath, assertVolumeName } from "../../ssh/quote";
import { streamBetween, type StreamEnd } from "../../ssh/stream";

// What a backup and a restore do on hosts. The VM's host takes the backup with libvirt's backup API
// (push mode into a scratch file in the VM's pool, a checkpoint with a persistent qcow2 bitmap taken
// with it, <incremental> from the parent's checkpoint); libvirt reads and writes the files in pools
// (vol-download, vol-upload), so the SSH user needs nothing but libvirt. The bytes travel VM host →
// portal → target host (ssh/stream.ts), hashed on the way, and are hashed again on the target.

const VIRSH = ["virsh", "-q", "-c", "qemu:///system"] as const;
const LONG = 30 * 60_000;

// A resumed step finds its own work: a backup job still running is waited for; the checkpoint and
// the scratch file both there mean it finished. Anything half made is removed and begun again.
const BACKUP_SCRIPT = `dom=$1 pool=$2 vol=$3 path=$4 cp=$5 from=$6
dir=$(mktemp -d /tmp/skjold.XXXXXXXXXX) || fail mktemp
trap 'rm -rf -- "$dir"' EXIT
running() { virsh domjobinfo "$dom" 2>/dev/null | grep -q '^Operation: *Backup'; }
if ! running; then
  if [ -n "$cp" ] && virsh checkpoint-info "$dom" "$cp" >/dev/null 2>&1 && [ -e "$path" ]; then
    echo "resumed yes"
  else
    virsh checkpoint-delete "$dom" "$cp" >/dev/null 2>&1
    virsh pool-refresh "$pool" >/dev/null 2>&1
    virsh vol-delete --pool "$pool" "$vol" >/dev/null 2>&1
    inc=
    if [ -n "$from" ]; then
      virsh checkpoint-info "$dom" "$from" >/dev/null 2>&1 || fail no-checkpoint
      inc="<incremental>$from</incremental>"
    fi
    printf "<domainbackup mode='push'>%s<disks><disk name='vda' type='file'><target file='%s'/><driver type='qcow2'/></disk></disks></domainbackup>" "$inc" "$path" >"$dir/b.xml"
    if [ -n "$cp" ]; then
      printf "<domaincheckpoint><name>%s</name><disks><disk name='vda' checkpoint='bitmap'/></disks></domaincheckpoint>" "$cp" >"$dir/c.xml"
      virsh backup-begin "$dom" "$dir/b.xml" "$dir/c.xml" >/dev/null 2>"$dir/err" || {
        cat "$dir/err" >&2
        grep -q 'qcow2 v2' "$dir/err" && fail no-bitmaps
        fail backup-begin
      }
    else
      virsh backup-begin "$dom" "$dir/b.xml" >/dev/null || fail backup-begin
    fi
  fi
fi
while running; do sleep 0.3; done
if virsh domjobinfo --completed "$dom" 2>/dev/null | grep -q '^Job type: *Failed'; then
  [ -z "$cp" ] || virsh checkpoint-delete "$dom" "$cp" >/dev/null 2>&1
  fail backup
fi
[ -e "$path" ] || fail no-file
virsh pool-refresh "$pool" >/dev/null || fail pool-refresh
printf 'file %s\\n' "$(stat -c %s "$path")"
printf 'capacity %s\\n' "$(virsh domblkinfo "$dom" vda | sed -n 's/^Capacity: *//p')"
`;

/** Removes every checkpoint of the domain (with their bitmaps where qemu can, else only libvirt's record). */
const DROP_CHECKPOINTS = `for c in $(virsh checkpoint-list --roots --name "$dom"); do
  virsh checkpoint-delete --children "$dom" "$c" >/dev/null 2>&1 || virsh checkpoint-delete --children --metadata "$dom" "$c" >/dev/null || fail checkpoint-delete
done
`;

export type BackupBegin =
  | { ok: true; fileBytes: number; capacityBytes: number }
  | { ok: false; chainBroken: true; why: string }
  | { ok: false; noBitmaps: true };

/**
 * Takes the backup on the VM's host into `scratch` (a volume of the VM's pool) with checkpoint `cp`
 * (none: `checkpoint` null). With `from`, only the blocks written since that checkpoint; a missing
 * checkpoint or a bitmap qemu cannot use (a host crash, a forced power-off, a restored disk) comes
 * back as `chainBroken`; a qcow2 v2 disk, which cannot hold a bitmap, as `noBitmaps`.
 */
export async function beginBackup(
  ctx: HostContext & {
    domain: string;
    storagePool: string;
    poolPath: string;
    scratch: string;
    checkpoint: string | null;
    from: string | null;
  },
): Promise<BackupBegin> {
  const path = assertRemotePath(`${ctx.poolPath.replace(/\/+$/, "")}/${assertVolumeName(ctx.scratch)}`);
  const step = `back up ${ctx.domain}`;
  const r = await runHostScript({
    ...ctx,
    step,
    script: BACKUP_SCRIPT,
    args: [
      assertDomainName(ctx.domain),
      assertPoolName(ctx.storagePool),
      ctx.scratch,
      path,
      ctx.checkpoint ? assertVolumeName(ctx.checkpoint) : "",
      ctx.from ? assertVolumeName(ctx.from) : "",
    ],
    timeoutMs: LONG,
  });
  if (r.ok) return { ok: true, fileBytes: Number(r.values.file), capacityBytes: Number(r.values.capacity) };
  if (r.what === "no-bitmaps") return { ok: false, noBitmaps: true };
  const broken =
    ctx.from !== null && (r.what === "no-checkpoint" || (r.what !== "mktemp" && /checkpoint|bitmap|inconsistent/i.test(r.why)));
  if (broken) return { ok: false, chainBroken: true, why: r.what === "no-checkpoint" ? `no checkpoint ${ctx.from}` : r.why };
  throw hostScriptError({ ...ctx, step }, r);
}

/** Forgets every checkpoint of the domain: the next backup is a full one. */
export async function dropCheckpoints(ctx: HostContext & { domain: string }): Promise<void> {
  const step = `remove the checkpoints of ${ctx.domain}`;
  const r = await runHostScript({ ...ctx, step, script: `dom=$1\n${DROP_CHECKPOINTS}`, args: [assertDomainName(ctx.domain)] });
  if (!r.ok) throw hostScriptError({ ...ctx, step }, r);
}

/** Deletes a volume libvirt may not have seen yet (refreshes the pool first); no error when it is gone. */
export async function removeVolume(ctx: HostContext & { storagePool: string; volume: string }): Promise<void> {
  const step = `remove ${ctx.volume}`;
  const r = await runHostScript({
    ...ctx,
    step,
    script: `virsh pool-refresh "$1" >/dev/null || fail pool-refresh\nvirsh vol-delete --pool "$1" "$2" >/dev/null 2>&1\necho gone yes\n`,
    args: [assertPoolName(ctx.storagePool), assertVolumeName(ctx.volume)],
  });
  if (!r.ok) throw hostScriptError({ ...ctx, step }, r);
}

const downloadArgv = (pool: string, volume: string) => [
  ...VIRSH,
  "vol-download",
  "--pool",
  assertPoolName(pool),
  assertVolumeName(volume),
  "/dev/stdout",
];

/** A replaced volume, written from stdin (an earlier half-written one is removed first). */
const UPLOAD_SCRIPT = `pool=$1 vol=$2
virsh pool-refresh "$pool" >/dev/null
virsh vol-delete --pool "$pool" "$vol" >/dev/null 2>&1
virsh vol-create-as "$pool" "$vol" 0 --format raw >/dev/null || exit 1
virsh vol-upload --pool "$pool" "$vol" /dev/stdin
`;

const shArgv = (script: string, args: string[]) => [
  "sh",
  "-c",
  `virsh() { command virsh -q -c qemu:///system "$@"; }\n${script}`,
  "skjold",
  ...args,
];

/** Copies one volume from a host's pool into another host's pool, through this process: bytes and sha256. */
export function copyVolume(opts: {
  from: HostContext & { storagePool: string; volume: string };
  to: HostContext & { storagePool: string; volume: string };
  signal?: AbortSignal;
}): Promise<{ bytes: number; sha256: string }> {
  const from: StreamEnd = { ...opts.from, argv: downloadArgv(opts.from.storagePool, opts.from.volume), step: `read ${opts.from.volume}` };
  const to: StreamEnd = {
    ...opts.to,
    argv: shArgv(UPLOAD_SCRIPT, [assertPoolName(opts.to.storagePool), assertVolumeName(opts.to.volume)]),
    step: `write ${opts.to.volume}`,
  };
  return streamBetween({ from, to, signal: opts.signal });
}

/** Copies a volume of a host's pool into a file (a private directory of the SSH user) on another host. */
export function copyVolumeToFile(opts: {
  from: HostContext & { storagePool: string; volume: string };
  to: HostContext & { path: string };
  signal?: AbortSignal;
}): Promise<{ bytes: number; sha256: string }> {
  const from: StreamEnd = { ...opts.from, argv: downloadArgv(opts.from.storagePool, opts.from.volume), step: `read ${opts.from.volume}` };
  const to: StreamEnd = {
    ...opts.to,
    argv: ["sh", "-c", 'cat >"$1"', "skjold", assertRemotePath(opts.to.path)],
    step: "write the restore file",
  };
  return streamBetween({ from, to, signal: opts.signal });
}

// The sha256 of a volume as its own host reads it: the bytes do not leave the host. A failed read
// is a failure, not a different checksum (the exit status is kept in a file: sh has no pipefail).
const DIGEST_SCRIPT = `pool=$1 vol=$2
dir=$(mktemp -d /tmp/skjold.XXXXXXXXXX) || fail mktemp
trap 'rm -rf -- "$dir"' EXIT
virsh pool-refresh "$pool" >/dev/null || fail pool-refresh
p=$(virsh vol-path --pool "$pool" "$vol") || fail missing
sum=$( { virsh vol-download --pool "$pool" "$vol" /dev/stdout; echo $? >"$dir/rc"; } | sha256sum | cut -d' ' -f1)
[ "$(cat "$dir/rc")" = 0 ] || fail vol-download
printf 'digest %s\\npath %s\\n' "$sum" "$p"
`;

/** The volume's sha256 and path on its host; null when it is not there. */
export async function volumeDigest(
  ctx: HostContext & { storagePool: string; volume: string },
): Promise<{ sha256: string; path: string } | null> {
  const step = `checksum ${ctx.volume}`;
  const r = await runHostScript({
    ...ctx,
    step,
    script: DIGEST_SCRIPT,
    args: [assertPoolName(ctx.storagePool), assertVolumeName(ctx.volume)],
    timeoutMs: LONG,
  });
  if (!r.ok && r.what === "missing") return null;
  if (!r.ok) throw hostScriptError({ ...ctx, step }, r);
  const sha256 = r.values.digest ?? "";
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw hostScriptError({ ...ctx, step }, { what: "sha256sum", why: JSON.stringify(sha256) });
  return { sha256, path: r.values.path! };
}

/** A private directory of the SSH user on the host, for the files of one restore. */
export async function makeRestoreDir(ctx: HostContext): Promise<string> {
  const r = await ctx.pool.exec({
    target: ctx.target,
    argv: ["mktemp", "-d", "/tmp/skjold-restore.XXXXXXXXXX"],
    step: "make the restore directory",
  });
  return assertRemotePath(r.stdout.trim());
}

export async function removeRestoreDir(ctx: HostContext & { dir: string }): Promise<void> {
  if (!/^\/tmp\/skjold-restore\.[A-Za-z0-9]{10}$/.test(ctx.dir)) return;
  await ctx.pool.exec({ target: ctx.target, argv: ["rm", "-rf", "--", ctx.dir], step: "remove the restore directory", allowFailure: true });
}

// The chain f0 (full) … fN (newest) made one image again: each increment is given the one before as
// its backing file (only its header changes), then the newest is converted into one qcow2 whose
// backing file is the VM's base image (only what differs from the base is written), at least as
// large as the VM's disk is now.
const ASSEMBLE_SCRIPT = `dir=$1 n=$2 base=$3 size=$4
i=1
while [ "$i" -lt "$n" ]; do
  qemu-img rebase -u -F qcow2 -b "f$((i - 1)).qcow2" "$dir/f$i.qcow2" || fail rebase
  i=$((i + 1))
done
top="$dir/f$((n - 1)).qcow2"
rm -f -- "$dir/disk.qcow2"
if [ -n "$base" ] && [ -r "$base" ]; then
  qemu-img convert -O qcow2 -F qcow2 -B "$base" "$top" "$dir/disk.qcow2" || fail convert
else
  qemu-img convert -O qcow2 "$top" "$dir/disk.qcow2" || fail convert
fi
now=$(qemu-img info --output=json "$dir/disk.qcow2" | sed -n 's/^ *"virtual-size": \\([0-9]*\\).*/\\1/p' | head -n 1)
if [ "$now" -lt "$size" ]; then qemu-img resize -q "$dir/disk.qcow2" "$size" || fail resize; fi
echo assembled yes
`;

export async function assembleChain(ctx: HostContext & { dir: string; files: number; basePath: string | null; sizeBytes: number }) {
  const step = "put the backup chain together";
  const r = await runHostScript({
    ...ctx,
    step,
    script: ASSEMBLE_SCRIPT,
    args: [assertRemotePath(ctx.dir), String(ctx.files), ctx.basePath ? assertRemotePath(ctx.basePath) : "", String(ctx.sizeBytes)],
    timeoutMs: LONG,
  });
  if (!r.ok) throw hostScriptError({ ...ctx, step }, r);
}

// The VM's disk replaced by the assembled image (the domain is off), and its checkpoints forgotten:
// the bitmaps they name are not in the new disk. Run again, it writes the same file again.
const WRITE_DISK_SCRIPT = `pool=$1 vol=$2 file=$3 dom=$4
[ -r "$file" ] || fail no-image
virsh pool-refresh "$pool" >/dev/null || fail pool-refresh
virsh vol-delete --pool "$pool" "$vol" >/dev/null 2>&1
virsh vol-create-as "$pool" "$vol" 0 --format raw >/dev/null || fail vol-create
virsh vol-upload --pool "$pool" "$vol" "$file" || fail vol-upload
${DROP_CHECKPOINTS}echo written yes
`;

export async function writeDisk(ctx: HostContext & { storagePool: string; volume: string; file: string; domain: string }): Promise<void> {
  const step = `write ${ctx.volume} back`;
  const r = await runHostScript({
    ...ctx,
    step,
    script: WRITE_DISK_SCRIPT,
    args: [assertPoolName(ctx.storagePool), assertVolumeName(ctx.volume), assertRemotePath(ctx.file), assertDomainName(ctx.domain)],
    timeoutMs: LONG,
  });
  if (!r.ok) {
    if (r.what === "no-image")
      throw new AppError("CONFLICT", errorMessage("error.backup.restoreFileGone", { file: ctx.file }), {
        key: "error.backup.restoreFileGone",
        params: { file: ctx.file },
        transient: false,
      });
    throw hostScriptError({ ...ctx, step }, r);
  }
}
