import { describe, expect, it } from "vitest";
import { generateKeyPair } from "@/lib/ssh/keygen";
import { targetKey } from "@/lib/ssh/target";

describe("targetKey (the SSH pool's connection key)", () => {
  it("tells apart two logins that differ only in their private key, and never contains the key", () => {
    const [management, tenant] = [generateKeyPair({ comment: "m" }), generateKeyPair({ comment: "t" })];
    const host = { host: "127.0.0.1", port: 22, username: "skjold-lab", privateKey: management.privateKey };
    const guest = { host: "127.0.0.1", port: 22311, username: "skjold", hostKeyFingerprint: "SHA256:abc", via: host };
    const asSkjold = targetKey({ ...guest, privateKey: management.privateKey });
    const asTenant = targetKey({ ...guest, privateKey: tenant.privateKey });
    expect(asSkjold).not.toBe(asTenant);
    expect(targetKey({ ...guest, privateKey: tenant.privateKey })).toBe(asTenant);
    for (const k of [asSkjold, asTenant]) {
      expect(k).not.toContain("PRIVATE KEY");
      expect(k).not.toContain(tenant.privateKey.split("\n")[1]!.slice(0, 20));
    }
  });
});
