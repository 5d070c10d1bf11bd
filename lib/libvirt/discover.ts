import { convert } from "xmlbuilder2";
import { z } from "zod";
import { assertPoolName, RemotePathSchema } from "../ssh/quote";
import { parseKeyValueLines, parseNameList, parseOrFail } from "./parse";
import { probeAccelerator, type Accelerator } from "./probe";
import { runVirsh, type HostContext } from "./virsh";
import { listVolumes, type VolumeSummary } from "./volumes";

interface PoolFacts {
  name: string;
  state: string;
  type: string;
  path: string | null;
  capacityBytes: number;
  availableBytes: number;
  /** true only when the pool's file system sits on an NVMe disk */
  nvme: boolean;
  /** plain words on what backs the pool, e.g. "not NVMe: /var/lib/… is on overlay (no block device)" */
  storageNote: string;
}

export interface HostFacts {
  libvirtVersion: string;
  qemuVersion: string;
  cpuCount: number;
  cpuModel: string;
  memoryMb: number;
  pools: PoolFacts[];
  /** base images present: volumes named *-base-*.qcow2 in the pools */
  images: Array<VolumeSummary & { pool: string }>;
  accelerator: Accelerator | null;
}

const VersionSchema = z.object({
  "Using library": z.string().regex(/^libvirt \d+\.\d+\.\d+$/),
  "Running hypervisor": z.string().regex(/^QEMU \d+\.\d+\.\d+$/),
});
const NodeInfoSchema = z.object({
  "CPU(s)": z.coerce.number().int().positive(),
  "Memory size": z.string().regex(/^\d+ KiB$/),
});
const PoolInfoSchema = z.object({
  State: z.string().min(1),
  Capacity: z.coerce.number().int().nonnegative(),
  Available: z.coerce.number().int().nonnegative(),
});

/** Reads what an admin needs to know about a host. With `probeKernelPath`, also which accelerator works. */
export async function discoverHost(ctx: HostContext & { probeKernelPath?: string }): Promise<HostFacts> {
  const step = "discover host";
  const version = parseOrFail(
    VersionSchema,
    parseKeyValueLines((await runVirsh({ ...ctx, args: ["version"], step })).stdout),
    "virsh version",
  );
  const node = parseOrFail(
    NodeInfoSchema,
    parseKeyValueLines((await runVirsh({ ...ctx, args: ["nodeinfo"], step })).stdout),
    "virsh nodeinfo",
  );
  const caps = convert((await runVirsh({ ...ctx, args: ["capabilities"], step })).stdout, { format: "object" }) as CapsXml;
  const cpuModel = parseOrFail(z.string().min(1).max(100), textOf(caps.capabilities?.host?.cpu?.model), "the host CPU model");
  const poolNames = parseNameList((await runVirsh({ ...ctx, args: ["pool-list", "--all", "--name"], step })).stdout, "storage pools");
  const pools: PoolFacts[] = [];
  const images: HostFacts["images"] = [];
  for (const name of poolNames) {
    const facts = await readPool({ ...ctx, name: assertPoolName(name) });
    pools.push(facts);
    if (facts.state === "running") {
      for (const v of await listVolumes({ ...ctx, storagePool: name }))
        if (/-base-.*\.qcow2$/.test(v.name)) images.push({ ...v, pool: name });
    }
  }
  const accelerator = ctx.probeKernelPath ? await probeAccelerator({ ...ctx, kernelPath: ctx.probeKernelPath }) : null;
  return {
    libvirtVersion: version["Using library"].replace("libvirt ", ""),
    qemuVersion: version["Running hypervisor"].replace("QEMU ", ""),
    cpuCount: node["CPU(s)"],
    cpuModel,
    memoryMb: Math.floor(parseInt(node["Memory size"], 10) / 1024),
    pools,
    images,
    accelerator,
  };
}

type CapsXml = { capabilities?: { host?: { cpu?: { model?: unknown } } } };
type PoolXml = { pool?: { "@type"?: string; target?: { path?: unknown } } };

function textOf(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (v && typeof v === "object" && "#" in v) return String((v as Record<string, unknown>)["#"]);
  return undefined;
}

async function readPool(ctx: HostContext & { name: string }): Promise<PoolFacts> {
  const step = `discover pool ${ctx.name}`;
  const info = parseOrFail(
    PoolInfoSchema,
    parseKeyValueLines((await runVirsh({ ...ctx, args: ["pool-info", "--bytes", "--", ctx.name], step })).stdout),
    `pool ${ctx.name}`,
  );
  const xml = convert((await runVirsh({ ...ctx, args: ["pool-dumpxml", "--", ctx.name], step })).stdout, { format: "object" }) as PoolXml;
  const rawPath = textOf(xml.pool?.target?.path);
  const path = rawPath && RemotePathSchema.safeParse(rawPath).success ? rawPath : null;
  const storage = path
    ? await describeBacking({ ...ctx, path, step })
    : { nvme: false, storageNote: "not NVMe as far as Skjold can tell: the pool has no local path" };
  return {
    name: ctx.name,
    state: info.State,
    type: xml.pool?.["@type"] ?? "unknown",
    path,
    capacityBytes: info.Capacity,
    availableBytes: info.Available,
    ...storage,
  };
}

/** Pure: NVMe or not, from `findmnt` SOURCE and `lsblk -s` NAME/TRAN lines. */
export function judgeNvme(opts: { path: string; source: string; lsblk: string }): { nvme: boolean; storageNote: string } {
  if (!opts.source.startsWith("/dev/")) {
    return { nvme: false, storageNote: `not NVMe: ${opts.path} is on ${opts.source || "an unknown file system"} (no block device)` };
  }
  const rows = opts.lsblk
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((r) => r[0]);
  const nvme = rows.some(([name, tran]) => tran === "nvme" || /^nvme\d+n\d+/.test(name ?? ""));
  const disk = rows[rows.length - 1]?.[0] ?? opts.source;
  return nvme
    ? { nvme: true, storageNote: `NVMe: ${opts.path} is on ${opts.source} (disk ${disk})` }
    : {
        nvme: false,
        storageNote: `not NVMe: ${opts.path} is on ${opts.source} (disk ${disk}, transport ${rows[rows.length - 1]?.[1] ?? "unknown"})`,
      };
}

async function describeBacking(ctx: HostContext & { path: string; step: string }) {
  const src = await ctx.pool.exec({
    target: ctx.target,
    argv: ["findmnt", "-n", "-o", "SOURCE", "--target", ctx.path],
    step: ctx.step,
    allowFailure: true,
  });
  const source = src.stdout.trim().split("\n")[0] ?? "";
  const lsblk = source.startsWith("/dev/")
    ? (
        await ctx.pool.exec({
          target: ctx.target,
          argv: ["lsblk", "-n", "-s", "-r", "-o", "NAME,TRAN", source],
          step: ctx.step,
          allowFailure: true,
        })
      ).stdout
    : "";
  return judgeNvme({ path: ctx.path, source, lsblk });
}
