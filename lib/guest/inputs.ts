import { z } from "zod";

// Input schemas shared by cloud-init and the post-boot hardening: both render the same files.

/** RFC 1123 host name: labels of letters, digits and inner hyphens, at most 253 characters. */
export const hostnameSchema = z
  .string()
  .max(253)
  .regex(
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/,
    "must be an RFC 1123 host name (lower case)",
  );

/** A Linux login that is not root and not a system account name. */
export const adminUserSchema = z
  .string()
  .regex(/^[a-z_][a-z0-9_-]{0,31}$/, "must be a lower-case Linux user name")
  .refine((u) => !["root", "daemon", "bin", "sys", "nobody", "sshd"].includes(u), "must not be a system account");

const KEY_TYPES = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
  "ssh-rsa",
] as const;

/** One OpenSSH public key line: a known type, base64 whose embedded type matches, an optional plain comment. */
export const sshPublicKeySchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9@.-]+ [A-Za-z0-9+/]+={0,3}( [\x21-\x7e][\x20-\x7e]{0,200})?$/, "must be one OpenSSH public key line")
  .refine((line) => {
    const [type, blob] = line.split(" ");
    if (!KEY_TYPES.includes(type as (typeof KEY_TYPES)[number]) || !blob) return false;
    const raw = Buffer.from(blob, "base64");
    if (raw.length < 4) return false;
    const len = raw.readUInt32BE(0);
    return raw.subarray(4, 4 + len).toString("latin1") === type && (type !== "ssh-rsa" || raw.length >= 270);
  }, "must be an ed25519, ECDSA or RSA (2048 bits or more) public key whose data matches its type");

export const cidrSchema = z
  .string()
  .regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$|^[0-9a-f:]+\/\d{1,3}$/i, "must be a CIDR block")
  .refine(
    (c) =>
      c.includes(":") ||
      c
        .split("/")[0]!
        .split(".")
        .every((o) => Number(o) <= 255),
    "must be a CIDR block",
  );

const guestRoleSchema = z.enum(["vm", "k3s-server", "k3s-agent"]);
export type GuestRole = z.infer<typeof guestRoleSchema>;

/** Everything that decides what the hardened guest looks like. */
export const guestHardeningSchema = z.object({
  adminUser: adminUserSchema,
  sshPublicKey: sshPublicKeySchema,
  /** Further keys for the admin user, e.g. the portal's management key. */
  extraSshPublicKeys: z.array(sshPublicKeySchema).max(20).default([]),
  role: guestRoleSchema,
  sshPort: z.number().int().min(1).max(65535).default(22),
  /** Sources allowed to reach SSH; empty means from anywhere. */
  sshAllowFrom: z.array(cidrSchema).max(50).default([]),
  /** The cluster's node addresses: the only sources allowed to kubelet, flannel and the supervisor. */
  k3sNodeCidrs: z.array(cidrSchema).max(50).default([]),
  /** Sources allowed to the Kubernetes API on 6443 (servers only); empty means nodes only. */
  k3sApiAllowFrom: z.array(cidrSchema).max(50).default([]),
  clusterCidr: cidrSchema.default("10.42.0.0/16"),
  serviceCidr: cidrSchema.default("10.43.0.0/16"),
  /** SSH forwarding stays off unless the tenant asks for it. */
  allowSshForwarding: z.boolean().default(false),
});
export type GuestHardeningInput = z.input<typeof guestHardeningSchema>;
export type GuestHardening = z.output<typeof guestHardeningSchema>;
