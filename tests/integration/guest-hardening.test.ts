import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hardenGuest } from "@/lib/guest/harden-guest";
import { diffReports } from "@/lib/guest/report";
import { evaluateGuestControls } from "@/lib/guest/verify/guest-controls";
import { collectGuestEvidence } from "@/lib/guest/verify/guest-evidence";
import { startGuestSandbox, type GuestSandbox } from "@/tests/helpers/guest-sandbox";

// Runs the real hardening script and the real evidence command as root in a throwaway sandbox
// (namespaces + overlays, see tests/helpers/guest-sandbox.ts) with this machine's sshd, nft,
// sysctl, useradd and sudo.

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDd0cR1pE2nSWnBhCsUqTe9X3e3l9Eqn0tYgD8y7Hc4w tenant@example";
const base = { adminUser: "tenant", sshPublicKey: KEY } as const;

const failing = (r: ReturnType<typeof evaluateGuestControls>) =>
  r.controls.filter((c) => c.status === "fail").map((c) => `${c.id}: ${c.evidence}`);

describe.each(["vm", "k3s-server"] as const)("guest hardening in a sandbox (%s)", (role) => {
  let box: GuestSandbox;
  beforeAll(async () => {
    box = await startGuestSandbox();
  });
  afterAll(() => box?.stop());

  it("hardens in one exec, and a second run changes nothing", async () => {
    const first = await hardenGuest({ ...base, role, k3sNodeCidrs: ["10.0.2.0/24"], shell: box.shell });
    expect(first.changed).toBe(true);
    expect(first.changes).toContain("user");
    expect(first.changes).toContain("file:/etc/ssh/sshd_config.d/00-skjold-hardening.conf");
    expect(first.changes).toContain("nftables-runtime");
    const before = box.execCount();
    const second = await hardenGuest({ ...base, role, k3sNodeCidrs: ["10.0.2.0/24"], shell: box.shell });
    expect(box.execCount() - before).toBe(1);
    expect(second).toMatchObject({ changed: false, changes: [], roundTrips: 1 });
    expect(await box.run("stat -c '%a %U' /home/tenant/.ssh/authorized_keys")).toBe("600 tenant\n");
    expect(await box.run("cat /home/tenant/.ssh/authorized_keys")).toBe(`${KEY}\n`);
  });

  it("proves every control from the machine's own state", async () => {
    const before = box.execCount();
    const evidence = await collectGuestEvidence({ shell: box.shell, adminUser: "tenant" });
    expect(box.execCount() - before).toBe(1);
    const report = evaluateGuestControls({ evidence, expect: { role, adminUser: "tenant" } });
    expect(failing(report)).toEqual([]);
    expect(report.passed).toBeGreaterThan(35);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    if (role === "vm") expect(report.controls.find((c) => c.id === "k3s.kubelet-sysctls")?.status).toBe("not_applicable");
    else expect(evidence.sysctl["kernel.panic_on_oops"]).toBe("1");
  });

  it("a setting weakened by hand fails its control, shows as drift, and hardening repairs it", async () => {
    const good = evaluateGuestControls({
      evidence: await collectGuestEvidence({ shell: box.shell, adminUser: "tenant" }),
      expect: { role, adminUser: "tenant" },
    });
    await box.run("sed -i 's/^PermitRootLogin no$/PermitRootLogin yes/' /etc/ssh/sshd_config.d/00-skjold-hardening.conf");
    await box.run("sysctl -q -w net.ipv4.tcp_syncookies=0");
    await box.run("nft flush chain inet skjold input");
    const weak = evaluateGuestControls({
      evidence: await collectGuestEvidence({ shell: box.shell, adminUser: "tenant" }),
      expect: { role, adminUser: "tenant" },
    });
    const failed = weak.controls.filter((c) => c.status === "fail").map((c) => c.id);
    expect(failed).toEqual(expect.arrayContaining(["ssh.permit-root-login", "net.syncookies", "fw.ssh-allowed"]));
    expect(weak.controls.find((c) => c.id === "ssh.permit-root-login")?.evidence).toBe("permitrootlogin yes");
    expect(diffReports({ previous: good, current: weak }).map((d) => d.id)).toEqual(
      expect.arrayContaining(["ssh.permit-root-login", "net.syncookies"]),
    );

    const repair = await hardenGuest({ ...base, role, k3sNodeCidrs: ["10.0.2.0/24"], shell: box.shell });
    expect(repair.changes).toEqual(
      expect.arrayContaining([
        "file:/etc/ssh/sshd_config.d/00-skjold-hardening.conf",
        "sysctl:net.ipv4.tcp_syncookies",
        "nftables-runtime",
      ]),
    );
    const again = evaluateGuestControls({
      evidence: await collectGuestEvidence({ shell: box.shell, adminUser: "tenant" }),
      expect: { role, adminUser: "tenant" },
    });
    expect(failing(again)).toEqual([]);
  });
});
