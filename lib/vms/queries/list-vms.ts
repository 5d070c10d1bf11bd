import { requireTeam } from "../../access/team-access";
import { listOrder, type Page, type PageRequest, pageOf, pagePosition } from "../../core/pagination";
import type { Prisma, VmState } from "../../generated/prisma/client";
import type { TeamRequest } from "../shared/find-team-vm";

/** What a VM list row shows (and the detail view starts from). */
export const VM_SUMMARY = {
  id: true,
  name: true,
  state: true,
  vcpus: true,
  memoryMb: true,
  diskGb: true,
  sshHost: true,
  sshPort: true,
  ipAddress: true,
  ipv6Address: true,
  ipv6Prefix: true,
  adminUser: true,
  lastError: true,
  createdAt: true,
  readyAt: true,
  deletedAt: true,
  region: { select: { code: true, name: true, city: true, country: true, jurisdiction: true } },
  plan: { select: { code: true, name: true } },
  image: { select: { slug: true, name: true } },
  host: { select: { name: true } },
} as const;

export type VmSummary = Prisma.VirtualMachineGetPayload<{ select: typeof VM_SUMMARY }>;

const VM_ORDER = listOrder<Prisma.VirtualMachineWhereInput, Prisma.VirtualMachineOrderByWithRelationInput>("vms", [
  { field: "createdAt", dir: "desc", kind: "time" },
  { field: "id", dir: "desc", kind: "uuid" },
]);

/** One row of the page query: the VM's columns and its relations' flattened (`region_code`…). */
interface VmRow {
  id: string;
  name: string;
  state: VmState;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  sshHost: string | null;
  sshPort: number | null;
  ipAddress: string | null;
  ipv6Address: string | null;
  ipv6Prefix: string | null;
  adminUser: string;
  lastError: string | null;
  createdAt: Date;
  readyAt: Date | null;
  deletedAt: Date | null;
  region_code: string;
  region_name: string;
  region_city: string;
  region_country: string;
  region_jurisdiction: VmSummary["region"]["jurisdiction"];
  plan_code: string;
  plan_name: string;
  image_slug: string;
  image_name: string;
  host_name: string | null;
}

/**
 * A page of the team's VMs, newest first; deleted ones stay listed as history unless `live`.
 *
 * The API's busiest list, so it is one SQL query rather than Prisma's findMany with its relations
 * (five queries, one per relation, and Prisma's per-row work): the VM rows joined to their region,
 * plan, image and host, read along the (teamId, createdAt desc, id desc) index from the cursor's
 * position. The query lives in the database as `skjold_vm_page` (migration
 * 20261209090000_vm_page_function), which plans it once per connection instead of once per request;
 * its columns are VmRow's. It returns exactly what `findMany({ select: VM_SUMMARY })` would (a test compares the two
 * on both databases); the cursor is the ordinary keyset cursor of lib/core/pagination.
 */
export async function listVms(opts: TeamRequest & { page: PageRequest; live?: boolean }): Promise<Page<VmSummary>> {
  const { team } = await requireTeam({ prisma: opts.prisma, principal: opts.principal, slug: opts.teamSlug, need: "read" });
  const { after, take } = pagePosition(VM_ORDER, opts.page);
  const [afterAt, afterId] = after ? [(after[0] as Date).toISOString(), after[1] as string] : [null, null];
  // The page comes back as one JSON text: the embedded database's driver copies and decodes every
  // field of a result on its own (26 columns × 50 rows), where one JSON value is one field and one
  // JSON.parse; in-process this costs 0.6× the rows' (scripts/bench/vm-page-query.ts). The aggregate
  // states the page's order itself: an aggregate is not bound to keep the order rows arrive in.
  const [result] = await opts.prisma.$queryRaw<{ page: string }[]>`
    SELECT coalesce(json_agg(p ORDER BY p."createdAt" DESC, p."id" DESC), '[]')::text AS "page"
    FROM skjold_vm_page(${team.id}::uuid, ${opts.live === true}, ${afterAt}::timestamp(3), ${afterId}::uuid, ${take}::integer) p`;
  const rows = JSON.parse(result!.page) as VmJsonRow[];
  return pageOf(VM_ORDER, opts.page, rows.map(toSummary));
}

/** A row as json_agg writes it: timestamps as ISO text without a zone (the columns are UTC timestamp(3)). */
type VmJsonRow = Omit<VmRow, "createdAt" | "readyAt" | "deletedAt"> & {
  createdAt: string;
  readyAt: string | null;
  deletedAt: string | null;
};

const utcDate = (text: string) => new Date(`${text}Z`);

function toSummary(r: VmJsonRow): VmSummary {
  return {
    id: r.id,
    name: r.name,
    state: r.state,
    vcpus: r.vcpus,
    memoryMb: r.memoryMb,
    diskGb: r.diskGb,
    sshHost: r.sshHost,
    sshPort: r.sshPort,
    ipAddress: r.ipAddress,
    ipv6Address: r.ipv6Address,
    ipv6Prefix: r.ipv6Prefix,
    adminUser: r.adminUser,
    lastError: r.lastError,
    createdAt: utcDate(r.createdAt),
    readyAt: r.readyAt === null ? null : utcDate(r.readyAt),
    deletedAt: r.deletedAt === null ? null : utcDate(r.deletedAt),
    region: {
      code: r.region_code,
      name: r.region_name,
      city: r.region_city,
      country: r.region_country,
      jurisdiction: r.region_jurisdiction,
    },
    plan: { code: r.plan_code, name: r.plan_name },
    image: { slug: r.image_slug, name: r.image_name },
    host: r.host_name === null ? null : { name: r.host_name },
  };
}
