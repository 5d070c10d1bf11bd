import { AppError } from "../core/errors";
import { assertPoolName, assertRemotePath, assertVolumeName, RemotePathSchema } from "../ssh/quote";
import { targetLabel } from "../ssh/target";
import { parseOrFail, parseSize } from "./parse";
import { hostScriptError, runHostScript } from "./host-script";
import { runVirsh, type HostContext } from "./virsh";
import { buildVolumeXml } from "./xml/volume";

export interface VolumeSummary {
  name: string;
  path: string;
  type: string;
  capacityBytes: number;
  allocationBytes: number;
}

/** Volumes of a storage pool (refreshed first, so files added behind libvirt's back show up). */
export async function listVolumes(ctx: HostContext & { storagePool: string }): Promise<VolumeSummary[]> {
  const pool = assertPoolName(ctx.storagePool);
  await runVirsh({ ...ctx, args: ["pool-refresh", "--", pool], step: `refresh pool ${pool}` });
  const r = await runVirsh({ ...ctx, args: ["vol-list", "--pool", pool, "--details"], step: `list volumes of ${pool}` });
  return r.stdout
    .split("\n")
    .filter((l) => l.trim())
    .map((line) => {
      const m = /^\s*(\S+)\s+(\/\S+)\s+(\S+)\s+(\d+(?:\.\d+)? \S+)\s+(\d+(?:\.\d+)? \S+)\s*$/.exec(line);
      if (!m) return parseOrFail(RemotePathSchema, undefined, `a volume line of ${pool}: ${JSON.stringify(line.slice(0, 100))}`) as never;
      return { name: m[1]!, path: m[2]!, type: m[3]!, capacityBytes: parseSize(m[4]!), allocationBytes: parseSize(m[5]!) };
    });
}

export async function getVolumePath(ctx: HostContext & { storagePool: string; volume: string }): Promise<string | null> {
  const pool = assertPoolName(ctx.storagePool);
  const vol = assertVolumeName(ctx.volume);
  const r = await runVirsh({ ...ctx, args: ["vol-path", "--pool", pool, vol], step: `find volume ${vol}`, allowFailure: true });
  if (r.code !== 0) return null;
  return parseOrFail(RemotePathSchema, r.stdout.trim(), `the path of volume ${vol}`);
}

/** Deletes a volume; no error when it is already gone. */
export async function deleteVolume(ctx: HostContext & { storagePool: string; volume: string }): Promise<void> {
  const pool = assertPoolName(ctx.storagePool);
  const vol = assertVolumeName(ctx.volume);
  if ((await getVolumePath({ ...ctx, storagePool: pool, volume: vol })) === null) return;
  await runVirsh({ ...ctx, args: ["vol-delete", "--pool", pool, vol], step: `delete volume ${vol}` });
}

// The clone in one round trip. libvirt refuses a name it already has ("exists already"): that
// volume is kept as it is (the step runs again). Any other failure removes what the create left.
// The base must be where the caller says (checked on the host).
const CLONE_SCRIPT = `pool=$1 name=$2 base=$3
[ -f "$base" ] || fail no-base
dir=$(mktemp -d /tmp/skjold.XXXXXXXXXX) || fail mktemp
trap 'rm -rf -- "$dir"' EXIT
cat >"$dir/volume.xml"
made=created
if ! virsh vol-create --pool "$pool" "$dir/volume.xml" >/dev/null 2>"$dir/err"; then
  grep -q 'exists already' "$dir/err" || { cat "$dir/err" >&2; virsh vol-delete --pool "$pool" "$name" >/dev/null 2>&1; fail "virsh vol-create"; }
  made=existing
fi
p=$(virsh vol-path --pool "$pool" "$name") || fail "virsh vol-path"
printf '%s %s\\n' "$made" "$p"
`;

/**
 * Creates `name` as a copy-on-write qcow2 clone of `baseVolume` (same pool): the new file only holds
 * the guest's changes, so creating it costs the same for any `capacityBytes`. Idempotent: an existing
 * volume with that name is left as it is. A failed create leaves no volume behind. With `basePath`
 * (where the caller knows the base to be), the whole clone is one round trip to the host.
 */
export async function createCloneVolume(
  ctx: HostContext & { storagePool: string; baseVolume: string; basePath?: string; name: string; capacityBytes: number },
): Promise<{ name: string; path: string; created: boolean }> {
  const pool = assertPoolName(ctx.storagePool);
  const name = assertVolumeName(ctx.name);
  const base = assertVolumeName(ctx.baseVolume);
  const basePath = ctx.basePath ? assertRemotePath(ctx.basePath) : await getVolumePath({ ...ctx, storagePool: pool, volume: base });
  const missing = () => new AppError("NOT_FOUND", `Base image ${base} is not in pool ${pool} on this host`);
  if (!basePath) throw missing();
  const xml = buildVolumeXml({ name, capacityBytes: ctx.capacityBytes, format: "qcow2", backing: { path: basePath, format: "qcow2" } });
  const step = `create volume ${name}`;
  const r = await runHostScript({ ...ctx, step, script: CLONE_SCRIPT, args: [pool, name, basePath], stdin: xml });
  if (!r.ok) throw r.what === "no-base" ? missing() : hostScriptError({ ...ctx, step }, r);
  const path = parseOrFail(RemotePathSchema, r.values.created ?? r.values.existing, `the path of volume ${name}`);
  return { name, path, created: r.values.created !== undefined };
}

export interface SeedFiles {
  userData: string;
  metaData: string;
  networkConfig?: string;
}

// The seed in one round trip: the files arrive on stdin (one base64 line each, after the volume's
// XML), cloud-localds builds the ISO, an older seed of that name is replaced, and the uploaded bytes
// are compared with what was built (vol-upload can report success when the daemon's write failed:
// a full pool, seen here). A failure removes the half-made volume.
const SEED_SCRIPT = `pool=$1 name=$2 capacity=$3 net=$4
umask 077
dir=$(mktemp -d /tmp/skjold.XXXXXXXXXX) || fail mktemp
trap 'rm -rf -- "$dir"' EXIT
cat >"$dir/in"
i=1
for f in volume.xml user-data meta-data network-config; do
  sed -n "$i"p "$dir/in" | base64 -d >"$dir/$f" || fail "decode $f"
  i=$((i + 1))
done
if [ "$net" = 1 ]; then
  cloud-localds --network-config="$dir/network-config" "$dir/seed.img" "$dir/user-data" "$dir/meta-data" || fail cloud-localds
else
  cloud-localds "$dir/seed.img" "$dir/user-data" "$dir/meta-data" || fail cloud-localds
fi
size=$(stat -c %s "$dir/seed.img") || fail stat
[ "$size" -gt 0 ] && [ "$size" -le "$capacity" ] || fail seed-size
drop() { virsh vol-delete --pool "$pool" "$name" >/dev/null 2>&1; }
if ! virsh vol-create --pool "$pool" "$dir/volume.xml" >/dev/null 2>"$dir/err"; then
  grep -q 'exists already' "$dir/err" || { cat "$dir/err" >&2; drop; fail "virsh vol-create"; }
  virsh vol-delete --pool "$pool" "$name" >/dev/null || fail "virsh vol-delete"
  virsh vol-create --pool "$pool" "$dir/volume.xml" >/dev/null || { drop; fail "virsh vol-create"; }
fi
virsh vol-upload --pool "$pool" "$name" "$dir/seed.img" || { drop; fail "virsh vol-upload"; }
p=$(virsh vol-path --pool "$pool" "$name") || { drop; fail "virsh vol-path"; }
want=$(sha256sum <"$dir/seed.img")
got=$(head -c "$size" -- "$p" | sha256sum)
[ "$want" = "$got" ] || { drop; fail mismatch; }
printf 'path %s\\n' "$p"
`;

/** Room for the ISO around the files (cloud-localds' image is ~370 KiB + the files, rounded up). */
function seedCapacity(files: SeedFiles): number {
  const bytes = [files.userData, files.metaData, files.networkConfig ?? ""].reduce((n, f) => n + Buffer.byteLength(f), 0);
  return Math.ceil((2 ** 20 + 2 * bytes) / 2 ** 20) * 2 ** 20;
}

/**
 * Builds a NoCloud seed (ISO9660 "cidata", via cloud-localds on the host) from the given files and
 * stores it as raw volume `name` in the pool, in one round trip. Replaces an existing seed of that
 * name. The volume may be larger than the ISO (its size is only known on the host); the rest is zeros.
 */
export async function createSeedVolume(
  ctx: HostContext & { storagePool: string; name: string } & SeedFiles,
): Promise<{ name: string; path: string }> {
  const pool = assertPoolName(ctx.storagePool);
  const name = assertVolumeName(ctx.name);
  const step = `build seed ${name}`;
  const capacityBytes = seedCapacity(ctx);
  const xml = buildVolumeXml({ name, capacityBytes, format: "raw", mode: "0644" });
  const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
  const stdin = `${[xml, ctx.userData, ctx.metaData, ctx.networkConfig ?? ""].map(b64).join("\n")}\n`;
  const net = ctx.networkConfig !== undefined ? "1" : "0";
  const r = await runHostScript({ ...ctx, step, script: SEED_SCRIPT, args: [pool, name, String(capacityBytes), net], stdin });
  if (!r.ok) {
    if (r.what === "mismatch")
      throw new AppError(
        "HOST_COMMAND_FAILED",
        `${targetLabel(ctx.target)}: ${step}: the uploaded seed in pool ${pool} does not match what was built (is the pool full?)`,
      );
    throw hostScriptError({ ...ctx, step }, r);
  }
  return { name, path: parseOrFail(RemotePathSchema, r.values.path, `the path of seed ${name}`) };
}
