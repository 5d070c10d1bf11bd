import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapClusterNode } from "@/lib/clusters/provision/bootstrap-cluster";
import { AppError } from "@/lib/core/errors";
import { decryptSecret, encryptSecret } from "@/lib/core/secrets";
import type { Database } from "@/lib/db/connect";
import { buildCloudInit } from "@/lib/guest/cloud-init";
import { hardenGuest } from "@/lib/guest/harden-guest";
import { evaluateGuestControls } from "@/lib/guest/verify/guest-controls";
import { collectGuestEvidence } from "@/lib/guest/verify/guest-evidence";
import { bootstrapK3s } from "@/lib/k3s/bootstrap";
import { buildK3sConfigYaml } from "@/lib/k3s/config";
import { k3sClusterSchema } from "@/lib/k3s/inputs";
import { fetchKubeconfig } from "@/lib/k3s/kubeconfig";
import { buildK3sManifests, renderManifestFile } from "@/lib/k3s/manifests";
import { evaluateK3sControls } from "@/lib/k3s/verify/k3s-controls";
import { collectK3sEvidence } from "@/lib/k3s/verify/k3s-evidence";
import { generateKeyPair } from "@/lib/ssh/keygen";
import { PORTAL_LOCATION_SETTING } from "@/lib/residency/settings";
import { bootGuest, type BootedGuest } from "@/tests/helpers/booted-guest";
import { DB_KINDS, freshDatabase } from "@/tests/helpers/db";
import { makeTeam } from "@/tests/helpers/factories";
import { makeFakeK3sArtifacts, sha256 as sha } from "@/tests/helpers/fake-k3s-artifacts";

// Hardened k3s bootstrapped air-gapped onto a REAL booted lab guest (role k3s-server) over the SSH
// jump, as the admin user with sudo. The k3s binary and install.sh are the TEST-ONLY stand-ins in
// tests/helpers/fake-k3s-guest (no real k3s exists on this machine); systemd on the guest is real.

const VERSION = "v1.31.4+k3s1";
const ADMIN = "skjold";
const name = `skj-k3s-${process.pid}`;
const tenantKey = generateKeyPair({ comment: "tenant@example" });
const mgmtKey = generateKeyPair({ comment: "skjold-mgmt" });
const hardening = {
  adminUser: ADMIN,
  sshPublicKey: tenantKey.publicKey,
  extraSshPublicKeys: [mgmtKey.publicKey],
  role: "k3s-server" as const,
  k3sNodeCidrs: ["10.0.2.15/32"],
};
const dirs: string[] = [];
let guest: BootedGuest;
let artifacts: string;

function makeArtifacts(opts: { withImages?: boolean } = {}): string {
  const made = makeFakeK3sArtifacts({ version: VERSION, withImages: opts.withImages });
  dirs.push(made.dir);
  return made.dir;
}

const run = async (cmd: string) => {
  const r = await guest.shell.exec(cmd);
  if (r.code !== 0) throw new Error(`guest command failed (${r.code}): ${cmd}: ${r.stderr}`);
  return r.stdout;
};
const base = () => ({
  version: VERSION,
  nodeName: name,
  apiAddress: "k3s-1.lab.skjold.test",
  install: { mode: "airgap" as const, artifactsDir: artifacts },
  shell: guest.shell,
  privilege: "sudo" as const,
  readyTimeoutSeconds: 120,
});

beforeAll(async () => {
  artifacts = makeArtifacts();
  guest = await bootGuest({
    name,
    cloudInit: buildCloudInit({ ...hardening, hostname: name }),
    adminUser: ADMIN,
    adminPrivateKey: mgmtKey.privateKey,
  });
  await hardenGuest({ ...hardening, shell: guest.shell, privilege: "sudo" });
}, 900_000);

afterAll(async () => {
  await guest?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 300_000);

describe("k3s on a booted guest", () => {
  it("refuses a missing artifact with a message naming it, before touching the guest", async () => {
    const before = guest.shell.execCount();
    const err = await bootstrapK3s({ ...base(), install: { mode: "airgap", artifactsDir: makeArtifacts({ withImages: false }) } }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/^k3s air-gap artifact missing: k3s-airgap-images-amd64\.tar\.zst in \//);
    expect(guest.shell.execCount()).toBe(before);
    expect(await run("ls /usr/local/bin")).not.toContain("k3s");
  });

  it("installs air-gapped: artifacts, config, manifests and modes exactly as intended, installer with the right environment", async () => {
    const res = await bootstrapK3s(base());
    expect(res).toMatchObject({ changed: true, ready: true });
    expect(res.uploaded.sort()).toEqual(["install.sh", "k3s", "k3s-airgap-images-amd64.tar.zst"]);
    expect(res.changes).toEqual(expect.arrayContaining(["binary", "images", "installer", "file:/etc/rancher/k3s/config.yaml"]));
    expect((await run("sudo -n cat /var/log/fake-k3s-install.env")).trim().split("\n")).toEqual([
      "INSTALL_K3S_EXEC=server",
      "INSTALL_K3S_SKIP_DOWNLOAD=true",
      `INSTALL_K3S_VERSION=${VERSION}`,
    ]);
    const cluster = k3sClusterSchema.parse({ ...base(), shell: undefined });
    // byte for byte: compare digests taken on the guest (the SSH layer trims trailing newlines of output)
    const intended = [
      ["/etc/rancher/k3s/config.yaml", buildK3sConfigYaml(cluster)],
      ...buildK3sManifests(cluster).map((m) => [`/var/lib/rancher/k3s/server/manifests/${m.name}`, renderManifestFile(m)]),
    ];
    expect(await run(`sudo -n sha256sum ${intended.map(([p]) => p).join(" ")}`)).toBe(
      intended.map(([p, content]) => `${sha(content!)}  ${p}`).join("\n"),
    );
    expect(
      await run(
        "sudo -n stat -c '%a %U %n' /etc/rancher/k3s/config.yaml /var/lib/rancher/k3s/server/psa.yaml /var/lib/rancher/k3s/server/audit.yaml /var/lib/rancher/k3s/server/logs /etc/rancher/k3s/k3s.yaml /usr/local/bin/k3s /var/lib/skjold/k3s-artifacts",
      ),
    ).toBe(
      [
        "600 root /etc/rancher/k3s/config.yaml",
        "600 root /var/lib/rancher/k3s/server/psa.yaml",
        "600 root /var/lib/rancher/k3s/server/audit.yaml",
        "700 root /var/lib/rancher/k3s/server/logs",
        "600 root /etc/rancher/k3s/k3s.yaml",
        "755 root /usr/local/bin/k3s",
        "700 root /var/lib/skjold/k3s-artifacts",
      ].join("\n"),
    );
    expect(await run("sudo -n sha256sum /var/lib/rancher/k3s/agent/images/k3s-airgap-images-amd64.tar.zst")).toContain(
      sha(readFileSync(path.join(artifacts, "k3s-airgap-images-amd64.tar.zst"))),
    );
    expect((await run("systemctl is-active k3s.service")).trim()).toBe("active");
    expect(await run("ls /tmp")).not.toMatch(/skjold-upload/);
  });

  it("a second run uploads nothing and changes nothing (two round trips, no restart)", async () => {
    const pid = (await run("systemctl show -p MainPID --value k3s.service")).trim();
    const again = await bootstrapK3s(base());
    expect(again).toMatchObject({ changed: false, changes: [], uploaded: [], ready: true, roundTrips: 2 });
    expect((await run("systemctl show -p MainPID --value k3s.service")).trim()).toBe(pid);
  });

  it("a changed config restarts k3s through the guest's systemd", async () => {
    const pid = (await run("systemctl show -p MainPID --value k3s.service")).trim();
    const changed = await bootstrapK3s({ ...base(), serviceCidr: "10.96.0.0/16" });
    expect(changed.changes).toEqual(["file:/etc/rancher/k3s/config.yaml", "apply:config", "restart"]);
    expect((await run("systemctl show -p MainPID --value k3s.service")).trim()).not.toBe(pid);
    expect((await bootstrapK3s(base())).changes).toEqual(["file:/etc/rancher/k3s/config.yaml", "apply:config", "restart"]);
  });

  it("proves the k3s controls and the k3s-server guest controls from the guest", async () => {
    const k3s = evaluateK3sControls({
      evidence: await collectK3sEvidence({ shell: guest.shell, privilege: "sudo" }),
      tenantNamespaces: ["apps"],
    });
    expect(k3s.controls.filter((c) => c.status !== "pass").map((c) => `${c.id}: ${c.evidence}`)).toEqual([]);
    const guestReport = evaluateGuestControls({
      evidence: await collectGuestEvidence({ shell: guest.shell, adminUser: ADMIN, privilege: "sudo" }),
      expect: { role: "k3s-server", adminUser: ADMIN },
    });
    expect(guestReport.controls.filter((c) => c.status !== "pass").map((c) => `${c.id}: ${c.evidence}`)).toEqual([]);
  });

  it("fetches the kubeconfig with the server address rewritten", async () => {
    const kc = await fetchKubeconfig({ shell: guest.shell, apiAddress: "k3s-1.lab.skjold.test", privilege: "sudo" });
    expect(kc).toContain("server: https://k3s-1.lab.skjold.test:6443");
    expect(kc).not.toContain("127.0.0.1");
  });
});

/** A cluster whose server node is the booted guest, as the VM pipeline leaves it (RUNNING, hardened). */
async function recordCluster(db: Database) {
  const { prisma } = db;
  const lab = guest.lab;
  const region = await prisma.region.create({
    data: { code: `lab-${Math.random().toString(36).slice(2, 8)}`, name: "Lab", city: "Oslo", country: "NO", jurisdiction: "NO_EEA" },
  });
  await prisma.setting.upsert({
    where: { key: PORTAL_LOCATION_SETTING },
    update: { value: { regionCode: region.code } },
    create: { key: PORTAL_LOCATION_SETTING, value: { regionCode: region.code } },
  });
  const host = await prisma.host.create({
    data: {
      name: `lab-${region.code}`,
      regionId: region.id,
      address: lab.address,
      port: lab.port,
      username: lab.username,
      privateKeyEnc: encryptSecret(lab.target.privateKey),
      publicKey: lab.publicKey,
      hostKeyFingerprint: lab.hostKeyFingerprint,
      status: "ONLINE",
    },
  });
  const plan = await prisma.plan.create({ data: { code: `p-${region.code}`, name: "Small", vcpus: 1, memoryMb: 1024, diskGb: 10 } });
  const image = await prisma.image.create({ data: { slug: `debian-${region.code}`, name: "Debian 12", os: "debian", version: "12" } });
  const team = await makeTeam(prisma);
  const cluster = await prisma.cluster.create({
    data: { teamId: team.id, name: `c-${region.code}`, regionId: region.id, k3sVersion: VERSION, installMode: "AIRGAP" },
  });
  await prisma.virtualMachine.create({
    data: {
      teamId: team.id,
      name,
      regionId: region.id,
      planId: plan.id,
      imageId: image.id,
      hostId: host.id,
      state: "RUNNING",
      clusterId: cluster.id,
      clusterRole: "server",
      vcpus: 1,
      memoryMb: 1024,
      diskGb: 10,
      domainName: `${name}-${region.code}`,
      adminUser: ADMIN,
      sshHost: "127.0.0.1",
      sshPort: guest.forwards[22]!,
      guestHostKeyFingerprint: guest.hostKeyFingerprint,
      mgmtKeyEnc: encryptSecret(mgmtKey.privateKey),
      mgmtPublicKey: mgmtKey.publicKey,
    },
  });
  return cluster;
}

describe.each(DB_KINDS)("a tenant cluster's k3s half on the booted server node (%s)", (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await freshDatabase(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("ends FAILED with the exact missing-artifact message, and READY with an encrypted kubeconfig on the ledger", async () => {
    const cluster = await recordCluster(db);
    const err = (await bootstrapClusterNode({
      prisma: db.prisma,
      clusterId: cluster.id,
      pool: guest.pool,
      artifactsDir: makeArtifacts({ withImages: false }),
    }).catch((e: unknown) => e)) as AppError;
    expect(err.message).toMatch(/^k3s air-gap artifact missing: k3s-airgap-images-amd64\.tar\.zst/);
    expect(await db.prisma.cluster.findUniqueOrThrow({ where: { id: cluster.id } })).toMatchObject({
      state: "FAILED",
      lastError: err.message,
      kubeconfigEnc: null,
    });

    const done = await bootstrapClusterNode({
      prisma: db.prisma,
      clusterId: cluster.id,
      pool: guest.pool,
      artifactsDir: artifacts,
      readyTimeoutSeconds: 120,
    });
    expect(done).toMatchObject({ state: "READY", failed: 0 });
    const row = await db.prisma.cluster.findUniqueOrThrow({ where: { id: cluster.id } });
    expect(row).toMatchObject({ state: "READY", lastError: null, apiEndpoint: `https://${name}:6443` });
    expect(row.kubeconfigEnc).not.toContain("client-key-data");
    expect(decryptSecret(row.kubeconfigEnc!)).toContain(`server: https://${name}:6443`);
    const reports = await db.prisma.hardeningReport.findMany({ where: { clusterId: cluster.id } });
    expect(reports.map((r) => [r.scope, r.failed])).toEqual([["k3s", 0]]);
    const ledger = await db.prisma.dataLocation.findMany({ where: { resourceId: cluster.id } });
    expect(ledger.map((l) => [l.resourceKind, l.action, l.teamId])).toEqual([["KUBECONFIG", "OPEN", cluster.teamId]]);
  }, 600_000);
});
