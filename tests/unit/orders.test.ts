import { describe, expect, it } from "vitest";
import { checkQuota, quotaAfter } from "@/lib/vms/order/quota";
import { OrderVmInput } from "@/lib/vms/order/schemas";
import { describeSshAccess } from "@/lib/vms/queries/ssh-access";
import { candidatePorts, parseListeningPorts } from "@/lib/vms/provision/ports";
import { buildVmSeed } from "@/lib/vms/provision/vm-seed";
import { generateKeyPair } from "@/lib/ssh/keygen";
import { parse } from "yaml";

const limits = { vms: 10, vcpus: 32, memoryMb: 65_536, diskGb: 1000 };
const none = { vms: 0, vcpus: 0, memoryMb: 0, diskGb: 0 };
const nano = { vcpus: 1, memoryMb: 512, diskGb: 10 };

describe("checkQuota", () => {
  it("accepts an order that fits exactly and refuses one over any figure, saying which", () => {
    expect(checkQuota({ limits, used: { vms: 9, vcpus: 31, memoryMb: 65_024, diskGb: 990 }, request: nano })).toBeNull();
    expect(checkQuota({ limits, used: { ...none, vms: 10 }, request: nano })).toBe("Your team's quota allows 10 VMs; 10 are in use.");
    expect(checkQuota({ limits: { ...limits, vms: 1 }, used: { ...none, vms: 1 }, request: nano })).toBe(
      "Your team's quota allows 1 VM; 1 is in use.",
    );
    expect(checkQuota({ limits, used: { ...none, vcpus: 32 }, request: nano })).toBe(
      "Your team's quota allows 32 vCPUs; 32 are in use and this plan needs 1.",
    );
    expect(checkQuota({ limits, used: { ...none, memoryMb: 65_500 }, request: nano })).toMatch(/65536 MiB of memory; 65500 MiB are in use/);
    expect(checkQuota({ limits, used: { ...none, diskGb: 995 }, request: nano })).toMatch(
      /1000 GB of disk; 995 GB are in use and this plan needs 10 GB/,
    );
    expect(quotaAfter({ vms: 1, vcpus: 2, memoryMb: 1024, diskGb: 20 }, nano)).toEqual({ vms: 2, vcpus: 3, memoryMb: 1536, diskGb: 30 });
  });
});

describe("OrderVmInput", () => {
  const good = {
    name: "web-1",
    regionCode: "osl1",
    planCode: "nano",
    imageSlug: "debian-12",
    sshKeyId: "6f1c1d9e-8d55-4d1b-9a53-3b9a3c1e2f10",
  };
  it("accepts a plain order", () => expect(OrderVmInput.parse(good)).toEqual(good));
  it.each([
    ["name", "Web-1"],
    ["name", "-web"],
    ["name", "web-"],
    ["name", "a".repeat(64)],
    ["name", "web.example"],
    ["name", "web 1"],
    ["name", "wéb"],
    ["name", "web;rm -rf /"],
    ["name", ""],
    ["name", 42],
    ["regionCode", "osl1'--"],
    ["regionCode", "../etc"],
    ["planCode", "NANO"],
    ["imageSlug", "debian 12"],
    ["imageSlug", "x".repeat(41)],
    ["sshKeyId", "not-a-uuid"],
    ["sshKeyId", null],
    ["name", "web\u202e1"],
  ])("refuses %s = %j", (field, value) => {
    expect(OrderVmInput.safeParse({ ...good, [field]: value }).success).toBe(false);
  });
  it("refuses unknown fields (hostId, state…) instead of ignoring them", () => {
    expect(OrderVmInput.safeParse({ ...good, hostId: good.sshKeyId }).success).toBe(false);
  });
});

describe("describeSshAccess", () => {
  const host = { name: "lab", address: "127.0.0.1", port: 2201, username: "skjold-lab", networkMode: "USER_FORWARD" };
  it("gives the direct command on a loopback lab host and the jump form otherwise", () => {
    expect(describeSshAccess({ state: "RUNNING", adminUser: "skjold", sshHost: "127.0.0.1", sshPort: 22201, host }).sshCommand).toBe(
      "ssh -p 22201 skjold@127.0.0.1",
    );
    const remote = describeSshAccess({
      state: "RUNNING",
      adminUser: "skjold",
      sshHost: "127.0.0.1",
      sshPort: 22201,
      host: { ...host, address: "osl1-h1.example.no", port: 22 },
    });
    expect(remote).toMatchObject({ sshCommand: "ssh -J skjold-lab@osl1-h1.example.no:22 -p 22201 skjold@127.0.0.1", sshReach: "via-host" });
    expect(describeSshAccess({ state: "DELETED", adminUser: "skjold", sshHost: null, sshPort: null, host }).sshCommand).toBeNull();
  });
});

describe("forward ports", () => {
  it("takes the lowest ports neither held by a VM nor listening on the host", () => {
    expect(candidatePorts({ start: 22200, end: 22205, taken: [22200, 22202], limit: 3 })).toEqual([22201, 22203, 22204]);
    expect(candidatePorts({ start: 22200, end: 22201, taken: [22200, 22201], limit: 1 })).toEqual([]);
    const ss =
      "LISTEN 0      128        127.0.0.1:2201       0.0.0.0:*\nLISTEN 0 4096 [::]:22 [::]:*\nLISTEN 0 1 127.0.0.1:22200 0.0.0.0:*\n";
    expect([...parseListeningPorts(ss)].sort()).toEqual([22, 2201, 22200]);
  });
});

describe("buildVmSeed", () => {
  it("seeds the tenant and management keys and Skjold's own guest host key, and removes the image's", () => {
    const tenant = generateKeyPair({ comment: "t" });
    const mgmt = generateKeyPair({ comment: "m" });
    const hostKey = generateKeyPair({ comment: "h" });
    const seed = buildVmSeed({
      hostname: "web-1",
      instanceId: "skj-0123456789ab",
      adminUser: "skjold",
      tenantPublicKey: tenant.publicKey,
      managementPublicKey: mgmt.publicKey,
      hostKey,
    });
    expect(seed.userData.startsWith("#cloud-config\n")).toBe(true);
    const doc = parse(seed.userData);
    expect(doc.users[0].ssh_authorized_keys).toEqual([tenant.publicKey, mgmt.publicKey]);
    expect(doc.ssh_keys).toEqual({ ed25519_private: hostKey.privateKey, ed25519_public: hostKey.publicKey });
    expect(doc.ssh_deletekeys).toBe(true);
    expect(doc.hostname).toBe("web-1");
    expect(parse(seed.metaData)).toEqual({ "instance-id": "skj-0123456789ab", "local-hostname": "web-1" });
  });
});
