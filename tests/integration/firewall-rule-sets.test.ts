import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppError } from "@/lib/core/errors";
import type { Database } from "@/lib/db/connect";
import { createRuleSet } from "@/lib/vms/firewall/create-rule-set";
import { deleteRuleSet } from "@/lib/vms/firewall/delete-rule-set";
import { getVmFirewall } from "@/lib/vms/firewall/get-vm-firewall";
import { listRuleSets } from "@/lib/vms/firewall/list-rule-sets";
import { setVmFirewall } from "@/lib/vms/firewall/set-vm-firewall";
import { updateRuleSet } from "@/lib/vms/firewall/update-rule-set";
import { DB_KINDS, freshDatabase } from "@/tests/helpers/db";
import { makeTeam, makeUser, makeVms } from "@/tests/helpers/factories";

// A team's firewall rule sets on both databases (no host is reached: the jobs they enqueue are
// looked at, and run on real guests in network-lab.test.ts): members only, every refusal names its
// field and stores nothing, lab-trial hosts refused, a set in use cannot be deleted, all audited.

const refusal = async (p: Promise<unknown>) =>
  (await p.then(
    () => null,
    (e: unknown) => e,
  )) as AppError;

describe.each(DB_KINDS)("firewall rule sets (%s)", (kind) => {
  let db: Database;
  let member: Awaited<ReturnType<typeof makeUser>>;
  let viewer: Awaited<ReturnType<typeof makeUser>>;
  let outsider: Awaited<ReturnType<typeof makeUser>>;
  let team: Awaited<ReturnType<typeof makeTeam>>;
  let routedVm: string;
  let labVm: string;
  let unplacedVm: string;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    [member, viewer, outsider] = [await makeUser(db.prisma), await makeUser(db.prisma), await makeUser(db.prisma)];
    team = await makeTeam(db.prisma, [
      { userId: member.user.id, role: "MEMBER" },
      { userId: viewer.user.id, role: "VIEWER" },
    ]);
    const region = await db.prisma.region.create({
      data: { code: "osl9", name: "Oslo 9", city: "Oslo", country: "NO", jurisdiction: "NO_EEA" },
    });
    const host = (name: string, networkMode: "ROUTED" | "USER_FORWARD") =>
      db.prisma.host.create({
        data: { name, regionId: region.id, address: "192.0.2.10", username: "skjold", privateKeyEnc: "x", publicKey: "x", networkMode },
      });
    const routed = await host("fw-routed", "ROUTED");
    const lab = await host("fw-lab", "USER_FORWARD");
    routedVm = (await makeVms(db.prisma, { teamId: team.id, regionId: region.id, hostId: routed.id, count: 1, prefix: "web-1" }))[0]!.id;
    labVm = (await makeVms(db.prisma, { teamId: team.id, regionId: region.id, hostId: lab.id, count: 1, prefix: "lab-1" }))[0]!.id;
    unplacedVm = (await makeVms(db.prisma, { teamId: team.id, regionId: region.id, count: 1, prefix: "new-1" }))[0]!.id;
    await db.prisma.virtualMachine.updateMany({ where: { id: { in: [routedVm, labVm] } }, data: { state: "RUNNING" } });
  });
  afterAll(async () => db?.close());
  const as = (who: { principal: Awaited<ReturnType<typeof makeUser>>["principal"] }) => ({
    prisma: db.prisma,
    principal: who.principal,
    teamSlug: team.slug,
  });
  const web = {
    name: "web",
    outbound: "deny",
    rules: [
      { protocol: "tcp", fromPort: 443, sources: ["198.51.100.7", "2001:db8::/32"] },
      { protocol: "icmp", sources: ["0.0.0.0/0"] },
    ],
  };

  it("refuses bad input with a 422 naming the field, and stores nothing", async () => {
    const cases: [unknown, string][] = [
      [{ ...web, rules: [{ protocol: "tcp", fromPort: 9000, toPort: 8000, sources: ["0.0.0.0/0"] }] }, "rules.0.toPort"],
      [{ ...web, rules: [{ protocol: "udp", fromPort: 53, sources: ["198.51.100.7/24"] }] }, "rules.0.sources.0"],
      [{ ...web, rules: [{ protocol: "udp", fromPort: 53, sources: ["not-an-address"] }] }, "rules.0.sources.0"],
      [{ ...web, rules: [{ protocol: "icmp", fromPort: 8, sources: ["::/0"] }] }, "rules.0.fromPort"],
      [{ ...web, rules: Array.from({ length: 51 }, () => ({ protocol: "tcp", fromPort: 80, sources: ["::/0"] })) }, "rules"],
      [{ ...web, name: "Web Servers" }, "name"],
    ];
    for (const [input, path] of cases) {
      const err = await refusal(createRuleSet({ ...as(member), input }));
      expect(err.code, path).toBe("VALIDATION");
      expect((err.details as { path: string }[]).map((d) => d.path)).toContain(path);
    }
    expect(await db.prisma.firewallRuleSet.count()).toBe(0);
  });

  it("lets members create a set (a bare address becomes a /32), viewers and other teams not", async () => {
    expect((await refusal(createRuleSet({ ...as(viewer), input: web }))).code).toBe("FORBIDDEN");
    expect((await refusal(createRuleSet({ ...as(outsider), input: web }))).code).toBe("NOT_FOUND");
    const set = await createRuleSet({ ...as(member), input: web });
    expect(set).toMatchObject({ name: "web", outbound: "deny", vmCount: 0 });
    expect(set.rules[0]!.sources).toEqual(["198.51.100.7/32", "2001:db8::/32"]);
    expect((await refusal(createRuleSet({ ...as(member), input: web }))).code).toBe("CONFLICT");
    const page = await listRuleSets({ ...as(viewer), page: { limit: 50 } });
    expect(page.items.map((s) => s.name)).toEqual(["web"]);
    expect(await db.prisma.auditEvent.count({ where: { action: "firewall.ruleset.create", teamId: team.id } })).toBe(1);
  });

  it("applies sets to a VM with a vm.firewall job, refuses a lab-trial host in words, and shows the effective rules", async () => {
    const [set] = (await listRuleSets({ ...as(member), page: { limit: 50 } })).items;
    const applied = await setVmFirewall({ ...as(member), vmId: routedVm, input: { ruleSetIds: [set!.id] } });
    expect(applied.ruleSets).toEqual(["web"]);
    const job = await db.prisma.job.findUniqueOrThrow({ where: { id: applied.jobId! } });
    expect(job).toMatchObject({ kind: "vm.firewall", vmId: routedVm });
    const lab = await refusal(setVmFirewall({ ...as(member), vmId: labVm, input: { ruleSetIds: [set!.id] } }));
    expect(lab.code).toBe("CONFLICT");
    expect(lab.message).toMatch(/lab-trial host.*cannot be enforced/);
    expect((await getVmFirewall({ ...as(viewer), vmId: labVm })).enforced).toBe(false);
    // Not placed yet: stored, no job (provisioning applies it after the anti-spoofing rules).
    expect((await setVmFirewall({ ...as(member), vmId: unplacedVm, input: { ruleSetIds: [set!.id] } })).jobId).toBeNull();
    const bad = await refusal(setVmFirewall({ ...as(member), vmId: routedVm, input: { ruleSetIds: [crypto.randomUUID()] } }));
    expect((bad.details as { path: string }[])[0]!.path).toBe("ruleSetIds.0");
    const fw = await getVmFirewall({ ...as(viewer), vmId: routedVm });
    expect(fw).toMatchObject({ enforced: true, ruleSets: [{ name: "web", outbound: "deny" }] });
    expect(fw.effective).toEqual({
      outbound: "deny",
      inbound: [
        { protocol: "tcp", fromPort: 443, toPort: 443, sources: ["198.51.100.7/32", "2001:db8::/32"] },
        { protocol: "icmp", fromPort: null, toPort: null, sources: ["0.0.0.0/0"] },
      ],
    });
    expect(await db.prisma.auditEvent.count({ where: { action: "vm.firewall.set", targetId: routedVm } })).toBe(1);
  });

  it("re-applies an edited set on every placed VM that has it, and refuses to delete a set in use", async () => {
    const [set] = (await listRuleSets({ ...as(member), page: { limit: 50 } })).items;
    const bad = await refusal(
      updateRuleSet({ ...as(member), ruleSetId: set!.id, input: { ...web, rules: [{ protocol: "tcp", sources: ["::/0"] }] } }),
    );
    expect((bad.details as { path: string }[])[0]!.path).toBe("rules.0.fromPort");
    const updated = await updateRuleSet({ ...as(member), ruleSetId: set!.id, input: { ...web, outbound: "allow", rules: [] } });
    expect(updated.jobIds).toHaveLength(1);
    expect(updated.vmCount).toBe(2);
    const inUse = await refusal(deleteRuleSet({ ...as(member), ruleSetId: set!.id }));
    expect(inUse.code).toBe("CONFLICT");
    expect(inUse.message).toMatch(/web-1.*take it off them first|new-1.*take it off them first/);
    for (const vmId of [routedVm, unplacedVm]) await setVmFirewall({ ...as(member), vmId, input: { ruleSetIds: [] } });
    expect((await getVmFirewall({ ...as(member), vmId: routedVm })).effective).toBeNull();
    expect(await deleteRuleSet({ ...as(member), ruleSetId: set!.id })).toEqual({ deleted: true });
    expect(await db.prisma.firewallRuleSet.count()).toBe(0);
    expect(await db.prisma.auditEvent.count({ where: { action: { startsWith: "firewall.ruleset." }, teamId: team.id } })).toBe(3);
  });
});
