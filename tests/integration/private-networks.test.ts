import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AppError } from "@/lib/core/errors";
import type { Database } from "@/lib/db/connect";
import { assignPrivateNics } from "@/lib/network/private/assign-private-nics";
import { createPrivateNetwork } from "@/lib/network/private/create-private-network";
import { deletePrivateNetwork } from "@/lib/network/private/delete-private-network";
import { getPrivateNetwork, listPrivateNetworks } from "@/lib/network/private/list-private-networks";
import { attachPrivateNetwork, detachPrivateNetwork } from "@/lib/vms/private/change-private-network";
import { createSession } from "@/lib/auth/session";
import { DB_KINDS, freshDatabase } from "@/tests/helpers/db";
import { callRoute, useDatabaseForRoutes } from "@/tests/helpers/route-call";
import { makeTeam, makeUser, makeVms } from "@/tests/helpers/factories";

// A team's private networks on both databases (the host side runs on the network lab in
// network-lab.test.ts): every refusal names its field and stores nothing, overlaps only count within
// the team and region, VNIs stay unique when creations race, addresses come from the range after the
// reserved .1, and a network in use cannot be deleted. All audited.

vi.mock("server-only", () => ({}));

const networksRoute = await import("@/app/api/v1/teams/[slug]/private-networks/route");
const networkRoute = await import("@/app/api/v1/teams/[slug]/private-networks/[id]/route");

const refusal = async (p: Promise<unknown>) =>
  (await p.then(
    () => null,
    (e: unknown) => e,
  )) as AppError;

describe.each(DB_KINDS)("private networks (%s)", (kind) => {
  let db: Database;
  let member: Awaited<ReturnType<typeof makeUser>>;
  let viewer: Awaited<ReturnType<typeof makeUser>>;
  let other: Awaited<ReturnType<typeof makeUser>>;
  let team: Awaited<ReturnType<typeof makeTeam>>;
  let otherTeam: Awaited<ReturnType<typeof makeTeam>>;
  let region: { id: string; code: string };
  let host: { id: string; name: string; networkMode: "ROUTED"; address: string };

  beforeAll(async () => {
    db = await freshDatabase(kind);
    [member, viewer, other] = [await makeUser(db.prisma), await makeUser(db.prisma), await makeUser(db.prisma)];
    team = await makeTeam(db.prisma, [
      { userId: member.user.id, role: "MEMBER" },
      { userId: viewer.user.id, role: "VIEWER" },
    ]);
    otherTeam = await makeTeam(db.prisma, [{ userId: other.user.id, role: "MEMBER" }]);
    region = await db.prisma.region.create({ data: { code: "osl8", name: "Oslo 8", city: "Oslo", country: "NO", jurisdiction: "NO_EEA" } });
    await db.prisma.region.create({ data: { code: "brg8", name: "Bergen 8", city: "Bergen", country: "NO", jurisdiction: "NO_EEA" } });
    host = (await db.prisma.host.create({
      data: {
        name: "pn-routed",
        regionId: region.id,
        address: "192.0.2.10",
        username: "skjold",
        privateKeyEnc: "x",
        publicKey: "x",
        networkMode: "ROUTED",
      },
    })) as typeof host;
  });
  afterAll(async () => db?.close());

  it("answers over HTTP: 422 naming the field for a bad range, 409 for an overlap, 201 with the VNI, 403 for a viewer", async () => {
    useDatabaseForRoutes(db);
    const session = (await createSession({ prisma: db.prisma, userId: member.user.id, mfaVerified: true })).token;
    const viewing = (await createSession({ prisma: db.prisma, userId: viewer.user.id, mfaVerified: true })).token;
    const post = (body: object, as = session) =>
      callRoute({
        handler: networksRoute.POST,
        method: "POST",
        path: `/api/v1/teams/${team.slug}/private-networks`,
        params: { slug: team.slug },
        as: { session: as },
        body: JSON.stringify(body),
        contentType: "application/json",
      });
    const bad = await post({ name: "http", regionCode: "osl8", cidr: "10.60.0.0/31" });
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({
      error: { code: "VALIDATION", details: [{ path: "cidr", message: expect.stringMatching(/\/31 is too small/) }] },
    });
    const made = await post({ name: "http", regionCode: "osl8", cidr: "10.60.0.0/24" });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    expect(made.json).toMatchObject({ name: "http", cidr: "10.60.0.0/24", vni: expect.any(Number), members: [] });
    const overlap = await post({ name: "http2", regionCode: "osl8", cidr: "10.60.0.128/25" });
    expect(overlap.status).toBe(409);
    expect(overlap.json).toMatchObject({ error: { details: [{ path: "cidr" }] } });
    expect((await post({ name: "v", regionCode: "osl8" }, viewing)).status).toBe(403);
    const id = String(made.json!.id);
    const del = await callRoute({
      handler: networkRoute.DELETE,
      method: "DELETE",
      path: `/api/v1/teams/${team.slug}/private-networks/${id}`,
      params: { slug: team.slug, id },
      as: { session },
    });
    expect(del.status, JSON.stringify(del.json)).toBe(200);
  });

  const as = (who: { principal: Awaited<ReturnType<typeof makeUser>>["principal"] }, slug = team.slug) => ({
    prisma: db.prisma,
    principal: who.principal,
    teamSlug: slug,
  });
  const create = (input: Record<string, unknown>, who = member, slug = team.slug) =>
    createPrivateNetwork({ ...as(who, slug), input: { regionCode: "osl8", ...input } });

  it("refuses bad ranges with a 4xx naming the field, and stores nothing", async () => {
    await create({ name: "backend", cidr: "10.0.0.0/16" });
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ name: "a", cidr: "10.9.0.0/31" }, "cidr", /\/31 is too small: a private network is at least a \/29/],
      [{ name: "a", cidr: "10.9.0.1/32" }, "cidr", /too small/],
      [{ name: "a", cidr: "10.9.0.0/30" }, "cidr", /too small/],
      [{ name: "a", cidr: "10.9.0.300/24" }, "cidr", /is not an IPv4 prefix/],
      [{ name: "a", cidr: "nonsense" }, "cidr", /is not an IPv4 prefix/],
      [{ name: "a", cidr: "10.9.0.1/24" }, "cidr", /host bits set; did you mean 10\.9\.0\.0\/24/],
      [{ name: "a", cidr: "8.8.8.0/24" }, "cidr", /not private address space/],
      [{ name: "a", cidr: "fd00::/64" }, "cidr", /is not an IPv4 prefix/],
      [{ name: "a", cidr: "10.0.0.0/7" }, "cidr", /too large/],
      [{ name: "a", ipv6Prefix: "2001:db8::/64" }, "ipv6Prefix", /ULA/],
      [{ name: "a", ipv6Prefix: "fd00::/48" }, "ipv6Prefix", /ULA/],
      [{ name: "Not OK" }, "name", /lowercase/],
      [{ name: "a", regionCode: "nope1" }, "regionCode", /is not a region/],
      // Overlap with the team's own network in the region: inside, around and equal.
      [{ name: "a", cidr: "10.0.3.0/24" }, "cidr", /10\.0\.3\.0\/24 overlaps backend \(10\.0\.0\.0\/16\)/],
      [{ name: "a", cidr: "10.0.0.0/8" }, "cidr", /overlaps backend/],
      [{ name: "backend", cidr: "10.1.0.0/16" }, "name", /already has a private network named backend in osl8/],
    ];
    for (const [input, field, message] of cases) {
      const err = await refusal(create(input));
      expect(err?.status, JSON.stringify(input)).toBeGreaterThanOrEqual(400);
      expect(err.status, JSON.stringify(input)).toBeLessThan(500);
      expect(err.message, JSON.stringify(input)).toMatch(message);
      expect(
        (err.details as { path: string }[]).map((d) => d.path),
        JSON.stringify(input),
      ).toContain(field);
    }
    expect(await db.prisma.privateNetwork.count({ where: { teamId: team.id } })).toBe(1);
    // Viewers read but do not create.
    expect((await refusal(create({ name: "v", cidr: "10.50.0.0/24" }, viewer))).status).toBe(403);
  });

  it("allows the same range to another team, in another region, and suggests the first free /24", async () => {
    const theirs = await create({ name: "backend", cidr: "10.0.0.0/16" }, other, otherTeam.slug);
    const mine = (await getPrivateNetwork({
      ...as(member),
      networkId: (await listPrivateNetworks({ ...as(member), page: { limit: 50 } })).items[0]!.id,
    }))!;
    expect(theirs.cidr).toBe(mine.cidr);
    expect(theirs.vni).not.toBe(mine.vni);
    await create({ name: "backend", regionCode: "brg8", cidr: "10.0.0.0/16" });
    // 10.0.0.0/24 … 10.0.255.0/24 are inside backend: the suggestion is the first /24 after it.
    const suggested = await create({ name: "cache", ipv6Prefix: "auto" });
    expect(suggested.cidr).toBe("10.1.0.0/24");
    expect(suggested.ipv6Prefix).toMatch(/^fd[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::\/64$/);
    // Another team cannot read it.
    expect((await refusal(getPrivateNetwork({ ...as(other, otherTeam.slug), networkId: suggested.id }))).status).toBe(404);
    // http (the HTTP test), backend, backend in brg8, cache.
    expect(await db.prisma.auditEvent.count({ where: { action: "private-network.create", teamId: team.id } })).toBe(4);
  });

  it("gives every network of a region its own VNI when creations race", async () => {
    const made = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        create({ name: `race-${i}`, cidr: `172.16.${i}.0/24` }, i % 2 ? member : other, i % 2 ? team.slug : otherTeam.slug),
      ),
    );
    const all = await db.prisma.privateNetwork.findMany({ where: { regionId: region.id }, select: { vni: true } });
    expect(new Set(all.map((n) => n.vni)).size).toBe(all.length);
    expect(made.every((n) => n.vni >= 4096)).toBe(true);
  });

  it("hands out addresses from the range after the reserved .1, the ULA of the same host number, and refuses when full", async () => {
    const small = await create({ name: "tiny", cidr: "192.168.7.0/29", ipv6Prefix: "fd07:7:7:7::/64" });
    const vms = await makeVms(db.prisma, { teamId: team.id, regionId: region.id, hostId: host.id, count: 6, prefix: "ipam" });
    const assign = (vmId: string, networkIds: string[]) =>
      db.prisma.$transaction((tx) =>
        assignPrivateNics({ tx, vm: { id: vmId, teamId: team.id, regionId: region.id }, regionCode: "osl8", host, networkIds }),
      );
    const got: string[] = [];
    for (const vm of vms.slice(0, 5)) {
      const [nic] = await assign(vm.id, [small.id]);
      got.push(`${nic!.ipv4} ${nic!.ipv6}`);
    }
    // A /29: .0 is the network, .1 kept back, .7 the broadcast: five members.
    expect(got).toEqual([2, 3, 4, 5, 6].map((n) => `192.168.7.${n} fd07:7:7:7::${n}`));
    const full = await refusal(assign(vms[5]!.id, [small.id]));
    expect(full.message).toBe("Private network tiny has no free address left");
    // Another team's network or one of another region is refused, naming the index.
    const theirs = (await listPrivateNetworks({ ...as(other, otherTeam.slug), page: { limit: 50 } })).items[0]!;
    const wrong = await refusal(assign(vms[5]!.id, [theirs.id]));
    expect(wrong.message).toBe("Order: privateNetworkIds.0: is not one of the team's private networks in osl8");
    // A lab user-mode host cannot carry them.
    const lab = await db.prisma.host.create({
      data: {
        name: "pn-lab",
        regionId: region.id,
        address: "192.0.2.11",
        username: "s",
        privateKeyEnc: "x",
        publicKey: "x",
        networkMode: "USER_FORWARD",
      },
    });
    const labErr = await refusal(
      db.prisma.$transaction((tx) =>
        assignPrivateNics({
          tx,
          vm: { id: vms[5]!.id, teamId: team.id, regionId: region.id },
          regionCode: "osl8",
          host: lab,
          networkIds: [small.id],
        }),
      ),
    );
    expect(labErr.message).toMatch(/need a routed or bridged host; pn-lab/);
    expect(await db.prisma.privateNic.count({ where: { vmId: vms[5]!.id } })).toBe(0);
  });

  it("attaches a running VM to one more network (next free slot) and detaches it through a vm.private-nic job", async () => {
    const [vm] = await makeVms(db.prisma, { teamId: team.id, regionId: region.id, hostId: host.id, count: 1, prefix: "later-1" });
    const net = await create({ name: "later", cidr: "10.77.0.0/24" });
    const attach = () => attachPrivateNetwork({ ...as(member), vmId: vm!.id, input: { networkId: net.id } });
    // Only a running or stopped VM.
    expect((await refusal(attach())).message).toMatch(/^later-1 is pending; its private networks cannot change now\.$/);
    await db.prisma.virtualMachine.update({ where: { id: vm!.id }, data: { state: "RUNNING" } });
    const { jobId, ipv4 } = await attach();
    expect(ipv4).toBe("10.77.0.2");
    const job = await db.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({ kind: "vm.private-nic", payload: { vmId: vm!.id, networkId: net.id, action: "attach" } });
    // One job at a time, and never the same network twice.
    expect((await refusal(attach())).message).toMatch(/busy \(vm\.private-nic\)/);
    await db.prisma.job.update({ where: { id: jobId }, data: { state: "SUCCEEDED", finishedAt: new Date() } });
    expect((await refusal(attach())).message).toBe("The VM is already on private network later");
    expect((await db.prisma.privateNic.findFirstOrThrow({ where: { vmId: vm!.id } })).slot).toBe(1);
    const detach = await detachPrivateNetwork({ ...as(member), vmId: vm!.id, networkId: net.id });
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id: detach.jobId } })).payload).toMatchObject({ action: "detach" });
    expect((await refusal(detachPrivateNetwork({ ...as(viewer), vmId: vm!.id, networkId: net.id }))).status).toBe(403);
    expect(await db.prisma.auditEvent.count({ where: { targetId: vm!.id, action: { startsWith: "vm.private-network." } } })).toBe(2);
  });

  it("refuses to delete a network while VMs use it, naming them; deletes it once they are gone", async () => {
    const tiny = (await listPrivateNetworks({ ...as(member), page: { limit: 200 } })).items.find((n) => n.name === "tiny")!;
    expect(tiny.members.map((m) => m.vmName)).toEqual(["ipam-1", "ipam-2", "ipam-3", "ipam-4", "ipam-5"]);
    const err = await refusal(deletePrivateNetwork({ ...as(member), networkId: tiny.id }));
    expect(err.status).toBe(409);
    expect(err.message).toBe(
      "Private network tiny is in use by ipam-1, ipam-2, ipam-3, ipam-4, ipam-5; delete them or take them off it first",
    );
    await db.prisma.virtualMachine.updateMany({ where: { name: { startsWith: "ipam-" } }, data: { state: "DELETED" } });
    expect(await deletePrivateNetwork({ ...as(member), networkId: tiny.id })).toEqual({ deleted: true });
    expect(await db.prisma.privateNetwork.count({ where: { id: tiny.id } })).toBe(0);
    expect(await db.prisma.auditEvent.count({ where: { action: "private-network.delete", targetId: tiny.id } })).toBe(1);
    expect((await refusal(deletePrivateNetwork({ ...as(member), networkId: tiny.id }))).status).toBe(404);
  });
});
