import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/core/errors";
import { hardenGuest } from "@/lib/guest/harden-guest";
import { bootstrapK3s, type K3sShell } from "@/lib/k3s/bootstrap";
import { buildK3sConfigYaml } from "@/lib/k3s/config";
import { k3sClusterSchema } from "@/lib/k3s/inputs";
import { fetchKubeconfig } from "@/lib/k3s/kubeconfig";
import { evaluateK3sControls } from "@/lib/k3s/verify/k3s-controls";
import { collectK3sEvidence } from "@/lib/k3s/verify/k3s-evidence";
import { startGuestSandbox, type GuestSandbox } from "@/tests/helpers/guest-sandbox";

// The k3s bootstrap up to the installer, in a throwaway root sandbox. The k3s binary, install.sh
// and systemctl are the TEST-ONLY stand-ins in tests/helpers/fake-k3s (no real k3s exists here).

const VERSION = "v1.31.4+k3s1";
const FAKES = path.resolve("tests/helpers/fake-k3s");
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDd0cR1pE2nSWnBhCsUqTe9X3e3l9Eqn0tYgD8y7Hc4w tenant@example";
const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

function makeArtifacts(opts: { withImages?: boolean; corruptBinary?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), "skjold-k3s-artifacts-"));
  const k3s = readFileSync(path.join(FAKES, "k3s"), "utf8").replace("__FAKE_K3S_VERSION__", VERSION).replace("__REPO__", process.cwd());
  const images = randomBytes(256 * 1024);
  writeFileSync(path.join(dir, "k3s"), k3s, { mode: 0o755 });
  writeFileSync(path.join(dir, "install.sh"), readFileSync(path.join(FAKES, "install.sh")));
  if (opts.withImages !== false) writeFileSync(path.join(dir, "k3s-airgap-images-amd64.tar.zst"), images);
  const listed = opts.corruptBinary ? sha("something else") : sha(k3s);
  writeFileSync(path.join(dir, "sha256sum-amd64.txt"), `${listed}  k3s\n${sha(images)}  k3s-airgap-images-amd64.tar.zst\n`);
  return dir;
}

describe("k3s bootstrap against a sandboxed guest", () => {
  let box: GuestSandbox;
  let shell: K3sShell;
  let artifacts: string;
  const base = () => ({
    version: VERSION,
    nodeName: "k3s-1",
    apiAddress: "k3s-1.lab.skjold.test",
    install: { mode: "airgap" as const, artifactsDir: artifacts },
    shell,
  });

  beforeAll(async () => {
    box = await startGuestSandbox();
    shell = { ...box.shell, uploadFile: (o) => box.upload(o) };
    artifacts = makeArtifacts();
    await hardenGuest({ adminUser: "tenant", sshPublicKey: KEY, role: "k3s-server", shell: box.shell });
    await box.run(`install -m 755 ${FAKES}/systemctl /usr/local/sbin/systemctl`);
  });
  afterAll(() => {
    box?.stop();
    rmSync(artifacts, { recursive: true, force: true });
  });

  it("refuses a missing artifact or a checksum mismatch with a message an operator can act on", async () => {
    const noImages = makeArtifacts({ withImages: false });
    await expect(bootstrapK3s({ ...base(), install: { mode: "airgap", artifactsDir: noImages } })).rejects.toThrow(
      /artifact missing: k3s-airgap-images-amd64\.tar\.zst/,
    );
    const corrupt = makeArtifacts({ corruptBinary: true });
    const err = await bootstrapK3s({ ...base(), install: { mode: "airgap", artifactsDir: corrupt } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/Checksum mismatch for .*\/k3s/);
    expect(await box.run("ls /usr/local/bin")).not.toContain("k3s");
  });

  it("installs air-gapped: files, modes, manifests, and the installer's environment", async () => {
    const res = await bootstrapK3s(base());
    expect(res).toMatchObject({ changed: true, ready: true });
    expect(res.uploaded.sort()).toEqual(["install.sh", "k3s", "k3s-airgap-images-amd64.tar.zst"]);
    expect(res.changes).toEqual(expect.arrayContaining(["binary", "images", "installer", "file:/etc/rancher/k3s/config.yaml"]));
    expect((await box.run("cat /var/log/fake-k3s-install.env")).split("\n")).toEqual(
      expect.arrayContaining(["INSTALL_K3S_EXEC=server", "INSTALL_K3S_SKIP_DOWNLOAD=true", `INSTALL_K3S_VERSION=${VERSION}`]),
    );
    const cluster = k3sClusterSchema.parse({ ...base(), shell: undefined });
    expect(await box.run("cat /etc/rancher/k3s/config.yaml")).toBe(buildK3sConfigYaml(cluster));
    expect(
      await box.run(
        "stat -c '%a %U %n' /etc/rancher/k3s/config.yaml /var/lib/rancher/k3s/server/psa.yaml /var/lib/rancher/k3s/server/audit.yaml /var/lib/rancher/k3s/server/logs /etc/rancher/k3s/k3s.yaml",
      ),
    ).toBe(
      [
        "600 root /etc/rancher/k3s/config.yaml",
        "600 root /var/lib/rancher/k3s/server/psa.yaml",
        "600 root /var/lib/rancher/k3s/server/audit.yaml",
        "700 root /var/lib/rancher/k3s/server/logs",
        "600 root /etc/rancher/k3s/k3s.yaml",
        "",
      ].join("\n"),
    );
    expect((await box.run("ls /var/lib/rancher/k3s/server/manifests")).trim().split("\n")).toEqual([
      "skjold-falco.yaml",
      "skjold-image-admission.yaml",
      "skjold-namespaces.yaml",
      "skjold-network-policies.yaml",
      "skjold-pod-hardening.yaml",
      "skjold-trivy-operator.yaml",
    ]);
    expect(await box.run("sha256sum /var/lib/rancher/k3s/agent/images/k3s-airgap-images-amd64.tar.zst")).toContain(
      sha(readFileSync(path.join(artifacts, "k3s-airgap-images-amd64.tar.zst"))),
    );
  });

  it("a second run uploads nothing and changes nothing; a config change restarts k3s", async () => {
    const again = await bootstrapK3s(base());
    expect(again).toMatchObject({ changed: false, changes: [], uploaded: [], ready: true, roundTrips: 2 });
    const changed = await bootstrapK3s({ ...base(), serviceCidr: "10.96.0.0/16" });
    expect(changed.changes).toEqual(["file:/etc/rancher/k3s/config.yaml", "apply:config", "restart"]);
    expect(await box.run("cat /var/log/fake-systemctl.log")).toBe("restart k3s.service\n");
    await bootstrapK3s(base());
  });

  it("proves the k3s controls, and a policy weakened on the server fails its control", async () => {
    const report = evaluateK3sControls({ evidence: await collectK3sEvidence({ shell }), tenantNamespaces: ["apps"] });
    expect(report.controls.filter((c) => c.status !== "pass").map((c) => `${c.id}: ${c.evidence}`)).toEqual([]);
    await box.run("sed -i \"/'ALL' in/d\" /var/lib/rancher/k3s/server/manifests/skjold-pod-hardening.yaml");
    const weak = evaluateK3sControls({ evidence: await collectK3sEvidence({ shell }), tenantNamespaces: ["apps"] });
    expect(weak.controls.filter((c) => c.status === "fail").map((c) => c.id)).toEqual(["k3s.pod-hardening-policy"]);
    expect((await bootstrapK3s(base())).changes).toEqual([
      "file:/var/lib/rancher/k3s/server/manifests/skjold-pod-hardening.yaml",
      "apply:manifests",
    ]);
  });

  it("fetches the kubeconfig with the server address rewritten", async () => {
    const kc = await fetchKubeconfig({ shell, apiAddress: "k3s-1.lab.skjold.test" });
    expect(kc).toContain("server: https://k3s-1.lab.skjold.test:6443");
    expect(kc).not.toContain("127.0.0.1");
  });
});
