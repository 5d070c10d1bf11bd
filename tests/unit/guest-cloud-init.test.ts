import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildCloudInit } from "@/lib/guest/cloud-init";
import { buildHardenScript } from "@/lib/guest/harden-script";
import { guestHardeningSchema, sshPublicKeySchema } from "@/lib/guest/inputs";
import { buildSectionScript, parseSections } from "@/lib/guest/verify/sections";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDd0cR1pE2nSWnBhCsUqTe9X3e3l9Eqn0tYgD8y7Hc4w tenant@example";
const opts = { hostname: "web-1.oslo", adminUser: "tenant", sshPublicKey: KEY, role: "vm" as const };

describe("buildCloudInit", () => {
  it("creates the key-only sudo admin, no root, no passwords, and installs nothing", () => {
    const { userData, metaData, networkConfig } = buildCloudInit(opts);
    expect(userData.startsWith("#cloud-config\n")).toBe(true);
    const doc = parse(userData);
    expect(doc).toMatchObject({
      hostname: "web-1.oslo",
      disable_root: true,
      ssh_pwauth: false,
      package_update: false,
      package_upgrade: false,
    });
    expect(doc.packages).toBeUndefined();
    expect(doc.users[0]).toMatchObject({ name: "tenant", groups: ["sudo"], lock_passwd: true, ssh_authorized_keys: [KEY] });
    const sshd = doc.write_files.find((f: { path: string }) => f.path === "/etc/ssh/sshd_config.d/00-skjold-hardening.conf");
    expect(sshd.permissions).toBe("0600");
    expect(sshd.content).toMatch(/^PermitRootLogin no$/m);
    expect(sshd.content).toMatch(/^PasswordAuthentication no$/m);
    expect(sshd.content).toMatch(/^DisableForwarding yes$/m);
    expect(doc.write_files.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining(["/etc/nftables.conf", "/etc/sysctl.d/60-skjold-hardening.conf", "/etc/apt/apt.conf.d/20auto-upgrades"]),
    );
    expect(parse(metaData)).toEqual({ "instance-id": "skjold-web-1.oslo", "local-hostname": "web-1.oslo" });
    expect(parse(networkConfig).ethernets.primary.dhcp4).toBe(true);
  });

  it("k3s nodes get forwarding and the kubelet's kernel defaults; forwarding stays off otherwise", () => {
    const vm = parse(buildCloudInit(opts).userData)
      .write_files.map((f: { content: string }) => f.content)
      .join("\n");
    const k3s = parse(buildCloudInit({ ...opts, role: "k3s-server", k3sNodeCidrs: ["10.0.2.0/24"] }).userData);
    const k3sText = k3s.write_files.map((f: { content: string }) => f.content).join("\n");
    expect(vm).toContain("net.ipv4.ip_forward = 0");
    expect(k3sText).toContain("net.ipv4.ip_forward = 1");
    expect(k3sText).toContain("kernel.panic_on_oops = 1");
    expect(k3sText).toContain("ip saddr { 10.0.2.0/24 } tcp dport 10250 accept");
    expect(k3sText).not.toMatch(/^\s*tcp dport (6443|10250)/m);
  });

  it.each([
    ["hostname", { hostname: "Web_1" }],
    ["hostname", { hostname: "-web" }],
    ["adminUser", { adminUser: "root" }],
    ["sshPublicKey", { sshPublicKey: "ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAABAQ tenant" }],
    ["sshPublicKey", { sshPublicKey: `${KEY}\nssh-ed25519 AAAA` }],
  ])("refuses a bad %s", (field, bad) => {
    expect(() => buildCloudInit({ ...opts, ...bad })).toThrow(new RegExp(field));
  });

  it("accepts real key formats and rejects a key whose data does not match its type", () => {
    expect(sshPublicKeySchema.safeParse(KEY).success).toBe(true);
    expect(sshPublicKeySchema.safeParse(KEY.replace("ssh-ed25519", "ecdsa-sha2-nistp256")).success).toBe(false);
  });
});

describe("the hardening script", () => {
  it("is valid POSIX sh and carries inputs only quoted or base64-encoded", () => {
    const script = buildHardenScript(guestHardeningSchema.parse({ adminUser: "tenant", sshPublicKey: KEY, role: "k3s-server" }));
    expect(spawnSync("sh", ["-n"], { input: script }).status).toBe(0);
    expect(script).not.toContain("tenant@example"); // the key travels as base64
    expect(script).toContain(Buffer.from(`${KEY}\n`).toString("base64"));
  });
});

describe("evidence sections", () => {
  const names = ["a", "b"];
  const out = (n = "n1") => `@@SKJOLD ${n} BEGIN a\nline 1\n@@SKJOLD ${n} END a\n@@SKJOLD ${n} BEGIN b\nok@@SKJOLD ${n} END b\n`;
  it("splits framed output, including output without a final newline", () => {
    expect(parseSections(out(), names, "n1")).toEqual({ a: "line 1", b: "ok" });
    expect(buildSectionScript([{ name: "a", command: "true" }], "n1")).toContain("@@SKJOLD n1 END a");
  });
  it("refuses missing sections, stray output and markers forged without the nonce", () => {
    expect(() => parseSections(out().split("@@SKJOLD n1 BEGIN b")[0]!, names, "n1")).toThrow(/missing: b/);
    expect(() => parseSections(`junk\n${out()}`, names, "n1")).toThrow(/outside any section/);
    expect(() => parseSections(out("forged"), names, "n1")).toThrow(/outside any section/);
  });
});
