import { z } from "zod";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../core/pagination";
import { CreateApiTokenInput } from "../auth/api-tokens";
import { SignInInput } from "../auth/sign-in";
import { PlanInput, RegionInput } from "../catalog/catalog";
import { CreateTeamInput, InviteMemberInput } from "../teams/schemas";
import { LatencyTargetInputSchema, LatencyTargetUpdateSchema } from "../latency/schemas";
import { AcknowledgeBreakInput } from "../residency/acknowledge-break";
import { OperatorFormSchema } from "../residency/operator-settings";
import { PolicyChangeInput } from "../residency/policy-input";
import { PortalLocationInputSchema } from "../residency/portal-location";
import { OrderClusterInput } from "../clusters/order/schemas";
import { OrderVmInput } from "../vms/order/schemas";
import { ConsoleIdleInput, ConsoleInputSchema, ConsolePasswordSchema } from "../vms/console/schemas";
import { ResizeVmInput } from "../vms/resize/schemas";
import { VmPowerActionSchema } from "../vms/power/schemas";
import { SetWarmPoolInput } from "../vms/warm/schemas";
import { AddSshKeyInput } from "../users/ssh-keys";
import { AddSigningKeyInput } from "../teams/signing-keys";
import { UpdateClusterInput } from "../clusters/api-access/set-cluster-api-access";
import { ClusterActionBody } from "../clusters/shared/schemas";
import {
  AddHostInput,
  ConfirmHostKeyInput,
  HostNetworkInput,
  HostOutageWaitInput,
  ReconcileInput,
  RegisterImageInput,
} from "../hosts/schemas";
import { CreatePrivateNetworkInput } from "../network/private/schemas";
import { AttachPrivateNetworkInput } from "../vms/private/change-private-network";
import { FirewallRuleSetInput, VmFirewallInput } from "../firewall/schemas";
import { CreateBackupTargetInput } from "../backup-targets/schemas";
import { BackupVmInput } from "../vms/backup/schemas";
import { CreateIpPoolInput, QuarantineInput, UpdateIpPoolInput } from "../network/pool-input";

// The /api/v1 contract. Request bodies come from the same zod schemas the handlers validate with,
// so the document cannot drift from what the server accepts. Other domains add their paths here.

/** `list`: a page of a list, `{ items, nextCursor }`, read with `?limit=` and `?cursor=` (lib/core/pagination). */
type Op = { summary: string; body?: z.ZodType; auth?: boolean; roles?: string; list?: true; responses?: Record<string, string> };
type Paths = Record<string, Partial<Record<"get" | "post" | "put" | "patch" | "delete", Op>>>;

const API_PATHS: Paths = {
  "/api/health": { get: { summary: "Liveness and database readiness", auth: false } },
  "/api/v1/auth/session": {
    post: { summary: "Sign in with email and password (sets the session cookie)", body: SignInInput, auth: false },
    delete: { summary: "Sign out this session" },
  },
  "/api/v1/teams": {
    get: { summary: "Teams you can see, by name, with your role in each", list: true },
    post: { summary: "Create a team", body: CreateTeamInput, roles: "platform admin" },
  },
  "/api/v1/teams/{slug}": { get: { summary: "One team, its quota and residency policy", roles: "any member" } },
  "/api/v1/teams/{slug}/members": {
    get: { summary: "Members and their roles, in the order they joined", roles: "any member", list: true },
    post: { summary: "Invite an email with a role; returns the one-time invitation path", body: InviteMemberInput, roles: "owner" },
  },
  "/api/v1/teams/{slug}/tokens": {
    get: { summary: "API tokens, newest first (never their secret)", roles: "owner", list: true },
    post: { summary: "Create an API token (browser session only); the token is shown once", body: CreateApiTokenInput, roles: "owner" },
  },
  "/api/v1/teams/{slug}/tokens/{id}": { delete: { summary: "Revoke an API token", roles: "owner" } },
  "/api/v1/teams/{slug}/signing-keys": {
    get: {
      summary: "The team's image signing keys (cosign public keys) with type and SHA256 fingerprint, oldest first",
      roles: "any member",
      list: true,
    },
    post: {
      summary:
        "Register a cosign public key (PEM: ECDSA P-256/P-384, RSA 2048+, Ed25519); 201 with clustersUpdated, the ready clusters whose admission policy is re-applied",
      body: AddSigningKeyInput,
      roles: "owner",
    },
  },
  "/api/v1/teams/{slug}/signing-keys/{id}": {
    delete: { summary: "Remove a signing key; images signed only with it are refused from then on", roles: "owner" },
  },
  "/api/v1/teams/{slug}/firewall-rule-sets": {
    get: {
      summary: "The team's firewall rule sets, by name, with their rules and how many VMs have each",
      roles: "any member",
      list: true,
    },
    post: {
      summary: `Create a rule set: inbound allow rules (tcp/udp with a port range, icmp; source prefixes) and the outbound default; 201`,
      body: FirewallRuleSetInput,
      roles: "owner, member",
    },
  },
  "/api/v1/teams/{slug}/firewall-rule-sets/{id}": {
    put: {
      summary: "Replace a rule set; every VM that has it gets a vm.firewall job (jobIds) and follows within seconds",
      body: FirewallRuleSetInput,
      roles: "owner, member",
    },
    delete: { summary: "Delete a rule set no VM has (409 naming the VMs otherwise)", roles: "owner, member" },
  },
  "/api/v1/teams/{slug}/private-networks": {
    get: {
      summary: "The team's private networks in every region, by name, with their range, ULA /64, VNI and members' addresses",
      roles: "any member",
      list: true,
    },
    post: {
      summary:
        "Create a private network in a region: an IPv4 range /8…/29 of private space (left out: the first free 10.x.y.0/24) not overlapping the team's other networks there, optionally an IPv6 ULA /64 (or auto); Skjold picks its VNI; 201",
      body: CreatePrivateNetworkInput,
      roles: "owner, member",
    },
  },
  "/api/v1/teams/{slug}/private-networks/{id}": {
    get: { summary: "One private network with its members", roles: "any member" },
    delete: { summary: "Delete a private network no VM is on (409 naming the VMs otherwise)", roles: "owner, member" },
  },
  "/api/v1/teams/{slug}/vms/{id}/private-networks": {
    post: {
      summary:
        "Put a running or stopped VM on one more of the team's private networks in its region: its address now ({ jobId, ipv4 }), the NIC hot-plugged and addressed by a vm.private-nic job; 202",
      body: AttachPrivateNetworkInput,
      roles: "owner, member",
    },
  },
  "/api/v1/teams/{slug}/vms/{id}/private-networks/{networkId}": {
    delete: {
      summary: "Take the VM off a private network (a vm.private-nic job; the address is free when it is done); 202",
      roles: "owner, member",
    },
  },
  "/api/v1/teams/{slug}/vms/{id}/firewall": {
    get: {
      summary: "The VM's rule sets and the effective rules its host enforces; enforced is false on a lab-trial host",
      roles: "any member",
    },
    put: {
      summary: "Set the VM's rule sets ([] removes its host firewall): 202 with the vm.firewall jobId; 409 on a lab-trial host",
      body: VmFirewallInput,
      roles: "owner, member",
    },
  },
  "/api/v1/teams/{slug}/vms": {
    get: { summary: "The team's virtual machines, newest first (deleted ones stay as history)", roles: "any member", list: true },
    post: {
      summary: "Order a VM: 202 with vmId and the provisioning jobId (follow …/vms/{id}/events)",
      body: OrderVmInput,
      roles: "owner, member",
    },
  },
  "/api/v1/teams/{slug}/vms/{id}": {
    get: {
      summary:
        "One VM: region, host, address, ssh command, guest host key, jobs with steps, events, latest hardening report, and `bootConsole` (the serial console's last lines when its boot failed or SSH never answered)",
      roles: "any member",
    },
    delete: { summary: "Delete the VM (domain, disk, seed): 202 with the jobId", roles: "owner, member" },
  },
  "/api/v1/teams/{slug}/vms/{id}/actions": {
    post: { summary: "Power action: 202 with the jobId", body: z.strictObject({ action: VmPowerActionSchema }), roles: "owner, member" },
  },
  "/api/v1/teams/{slug}/vms/{id}/resize": {
    post: {
      summary:
        "Change the VM's plan: 202 with the vm.resize jobId. The disk grows (online when it runs, with its filesystem); vCPUs and memory apply at the next start; a smaller disk, the quota or the host's room refuse it",
      body: ResizeVmInput,
      roles: "owner, member",
    },
  },
  "/api/v1/teams/{slug}/backup-targets": {
    get: {
      summary: "Backup targets with their region, country and jurisdiction, and whether the team's residency policy allows each",
      roles: "any member",
    },
  },
  "/api/v1/teams/{slug}/vms/{id}/backups": {
    get: {
      summary:
        "The VM's backups, newest first: kind (full/incremental), state (GOOD only once complete and checksummed), target and its region, country and jurisdiction, size, bytes moved, sha256, parent",
      roles: "any member",
    },
    post: {
      summary:
        "Back up a running VM to a backup target: 202 with backupId and the vm.backup jobId; a target outside the team's residency policy is refused (409 POLICY_VIOLATION) before anything is recorded or copied",
      body: BackupVmInput,
      roles: "owner, member",
    },
  },
  "/api/v1/teams/{slug}/vms/{id}/backups/{backupId}": {
    delete: {
      summary: "Delete the backup from its target (not one a later backup builds on); its ledger entry closes: 202 with the jobId",
      roles: "owner, member",
    },
  },
  "/api/v1/teams/{slug}/vms/{id}/backups/{backupId}/restore": {
    post: {
      summary:
        "Restore a full backup into its VM (an incremental one is refused for now): every file's sha256 is checked first (a changed file refuses the restore), then the VM is stopped, its disk written back and started again if it ran: 202 with the vm.restore jobId",
      roles: "owner, member",
    },
  },
  "/api/v1/teams/{slug}/vms/{id}/verify": {
    post: {
      summary:
        "Re-run the hardening checks on a running VM: 202 with the vm.verify jobId; the new report flags controls that drifted from pass to fail",
      roles: "any member",
    },
  },
  "/api/v1/teams/{slug}/vms/{id}/hardening-report": {
    get: {
      summary:
        "The latest hardening evidence report as a JSON download: every control with status, evidence read on the machine, references, and driftFrom",
      roles: "any member",
    },
  },
  "/api/v1/teams/{slug}/vms/{id}/events": {
    get: {
      summary: "text/event-stream of the VM's latest job (or ?job=<id>): `snapshot` events, heartbeat comments, a final `end` event",
      roles: "any member",
    },
  },
  "/api/v1/teams/{slug}/vms/{id}/console": {
    post: {
      summary:
        "Open a serial console session on the running VM (a signed-in person, not a token): 201 `{ sessionId, idleMinutes }`; at most 3 per VM; audited when it opens and ends",
      roles: "owner, member",
    },
  },
  "/api/v1/teams/{slug}/vms/{id}/console/{session}": {
    get: {
      summary:
        "text/event-stream of the session's console: `replay` (recent output) first, then `output` events (JSON strings), heartbeat comments every 15 s, a final `end` with the reason",
      roles: "the session's own person",
    },
  },
  "/api/v1/teams/{slug}/vms/{id}/console/{session}/input": {
    post: {
      summary: "Keystrokes for the serial console (at most 4 KiB); 204",
      body: ConsoleInputSchema,
      roles: "the session's own person",
    },
  },
  "/api/v1/teams/{slug}/vms/{id}/console/{session}/close": {
    post: { summary: "End the console session (audited with its duration); 204", roles: "the session's own person" },
  },
  "/api/v1/teams/{slug}/vms/{id}/console-password": {
    post: {
      summary:
        "Set the guest admin user's password for logging in on the serial console (sent on chpasswd's stdin, never stored; SSH stays key-only); 204",
      body: ConsolePasswordSchema,
      roles: "owner, member",
    },
  },
  "/api/v1/teams/{slug}/clusters": {
    get: { summary: "The team's k3s clusters, newest first (deleted ones stay as history)", roles: "any member", list: true },
    post: {
      summary:
        "Order a k3s cluster (one server, agentCount 0–3 agents, each a VM on the team's quota; all or nothing): 202 with clusterId, serverVmId, agentVmIds and the cluster.provision jobId",
      body: OrderClusterInput,
      roles: "owner, member",
    },
  },
  "/api/v1/teams/{slug}/clusters/{id}": {
    get: {
      summary:
        "One cluster: state, region, API endpoint, its nodes (server first; role, state, lastError, sshHost, sshPort), latest k3s hardening report, whether a kubeconfig is ready",
      roles: "any member",
    },
    delete: { summary: "Delete the cluster and all its nodes: 202 with the nodes' vm.delete jobIds", roles: "owner, member" },
    patch: {
      summary:
        "Set the networks (CIDR, up to 10, never /0) the Kubernetes API is open to besides the nodes. A ready cluster's firewall is re-applied by cluster.provision: 202 with its jobId; 200 when nothing changed or the cluster failed (its retry applies it)",
      body: UpdateClusterInput,
      roles: "owner, member",
    },
  },
  "/api/v1/teams/{slug}/clusters/{id}/actions": {
    post: {
      summary:
        "{action: verify} re-runs a ready cluster's k3s and node checks (any member; drift from pass to fail is flagged in the new reports); {action: retry} re-provisions a failed cluster (owner, member). 202 with the jobId",
      body: ClusterActionBody,
      roles: "any member / owner, member",
    },
  },
  "/api/v1/teams/{slug}/clusters/{id}/kubeconfig": {
    get: { summary: "The cluster's admin kubeconfig once it is ready (every download is audited)", roles: "owner, member" },
  },
  "/api/v1/regions": {
    get: { summary: "Active regions with country and jurisdiction, by country code (Z to A) and name", list: true },
    post: { summary: "Create a region", body: RegionInput, roles: "platform admin" },
  },
  "/api/v1/plans": {
    get: { summary: "Active plans, smallest first", list: true },
    post: { summary: "Create a plan", body: PlanInput, roles: "platform admin" },
  },
  "/api/v1/account/keys": {
    get: {
      summary: "Your SSH public keys with type, bits and SHA256 fingerprint, oldest first (with a team token: its creator's keys)",
      list: true,
    },
    post: {
      summary: "Add an SSH public key (browser session): ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa of 3072+ bits",
      body: AddSshKeyInput,
    },
  },
  "/api/v1/account/keys/{id}": { delete: { summary: "Remove one of your SSH keys (browser session; VMs that have it keep it)" } },
  "/api/v1/teams/{slug}/residency/policy": {
    get: { summary: "The team's residency policy, the regions it allows, and what each policy allows", roles: "any member" },
    put: {
      summary: "Change the residency policy; 409 POLICY_VIOLATION lists resources outside it (details.violations)",
      body: PolicyChangeInput,
      roles: "owner",
    },
  },
  "/api/v1/teams/{slug}/residency/report": {
    get: {
      summary:
        "Residency report, streamed. Query: format=csv|json|pdf (required), asOf=YYYY-MM-DD or ISO time, since=…. Headers: X-Skjold-Ledger-Head (seq:hash), X-Skjold-Ledger-Integrity (verified; … or broken; first-bad-seq=…), X-Skjold-Report-Id",
      roles: "owner or auditor",
    },
  },
  "/api/v1/teams/{slug}/residency/reports/{id}": {
    get: {
      summary: "A completed export by its X-Skjold-Report-Id: contentSha256, bytes, ledgerHead (recorded before the body ends)",
      roles: "owner or auditor",
    },
  },
  "/api/v1/teams/{slug}/residency/verify": {
    post: {
      summary: "Verify the ledger's hash chain in full and record the run: {ok, count, head} or {ok: false, brokenAt}",
      roles: "owner or auditor",
    },
  },
  "/api/v1/admin/residency/report": {
    get: { summary: "Platform-wide residency report, streamed (same query and headers as the team report)", roles: "platform admin" },
  },
  "/api/v1/admin/residency/reports/{id}": {
    get: { summary: "A completed platform export by its X-Skjold-Report-Id: contentSha256, bytes, ledgerHead", roles: "platform admin" },
  },
  "/api/v1/admin/residency/verify": {
    post: { summary: "Verify the ledger's hash chain in full and record the run", roles: "platform admin" },
  },
  "/api/v1/admin/residency/integrity/acknowledge": {
    post: {
      summary:
        "Acknowledge the current ledger break with a reason (audited): the alarm stops, reports stay marked until a verification passes",
      body: AcknowledgeBreakInput,
      roles: "platform admin",
    },
  },
  "/api/v1/admin/residency/operator": {
    get: { summary: "Operator (processor) details printed on reports", roles: "platform admin" },
    put: {
      summary:
        "Save operator details (flat fields: company, orgNumber, address, email, phone, dpoName, dpoEmail, dpoPhone, securityMeasures)",
      body: OperatorFormSchema,
      roles: "platform admin",
    },
  },
  "/api/v1/admin/residency/portal-location": {
    put: {
      summary: "Set the portal's location; each team's portal-held data moves in the ledger (refused if a team's policy forbids it)",
      body: PortalLocationInputSchema,
      roles: "platform admin",
    },
  },
  "/api/v1/admin/audit": {
    get: { summary: "Audit log, newest first (filters: action as a prefix, actor, teamId)", roles: "platform admin", list: true },
  },
  "/api/v1/admin/hosts": {
    get: {
      summary: "Hosts by name with status, accelerator, capacity and health (never their private key)",
      roles: "platform admin",
      list: true,
    },
    post: {
      summary: "Add a host (paste a private key or generate a pair); reads its host key for confirmation",
      body: AddHostInput,
      roles: "platform admin",
    },
  },
  "/api/v1/admin/backup-targets": {
    get: { summary: "Backup targets: host, storage pool, region, country and jurisdiction", roles: "platform admin" },
    post: {
      summary: "Register a host's storage pool as a backup target (reached with the host's pinned SSH key; in the host's region); audited",
      body: CreateBackupTargetInput,
      roles: "platform admin",
    },
  },
  "/api/v1/admin/warm-pools": {
    get: {
      summary:
        "Warm pools per region, plan and image: size, ready, warming and failed guests, orders served and their median seconds to SSH-ready",
      roles: "platform admin",
    },
    put: {
      summary: "Set how many warm guests to keep for a region, plan and image (0 turns the pool off); audited",
      body: SetWarmPoolInput,
      roles: "platform admin",
    },
  },
  "/api/v1/admin/hosts/outage-wait": {
    get: {
      summary: "How long a job waits for a host it cannot reach before it fails and rolls back (seconds), the default and the maximum",
      roles: "platform admin",
    },
    put: {
      summary: "Set that wait, 0 (fail as soon as attempts run out) to a day; audited; jobs already waiting use it at their next try",
      body: HostOutageWaitInput,
      roles: "platform admin",
    },
  },
  "/api/v1/admin/console/idle": {
    get: { summary: "How long a console session may go without a keystroke (minutes) and the default", roles: "platform admin" },
    put: {
      summary: "Set that limit, 1 to 1440 minutes; audited; sessions opened from then on use it",
      body: ConsoleIdleInput,
      roles: "platform admin",
    },
  },
  "/api/v1/admin/hosts/{id}": {
    get: { summary: "One host: facts, pools with NVMe statement, images, VMs, last drift", roles: "platform admin" },
    delete: { summary: "Remove a host that runs no VMs", roles: "platform admin" },
  },
  "/api/v1/admin/hosts/{id}/confirm-key": {
    post: {
      summary: "Pin the host key fingerprint the admin compared, then discover the host",
      body: ConfirmHostKeyInput,
      roles: "platform admin",
    },
  },
  "/api/v1/admin/hosts/{id}/refresh": {
    post: { summary: "Re-discover the host now (reprobe: true also re-tests KVM/TCG)", roles: "platform admin" },
  },
  "/api/v1/admin/hosts/{id}/drain": { post: { summary: "No new placements on this host", roles: "platform admin" } },
  "/api/v1/admin/hosts/{id}/undrain": { post: { summary: "Take new placements again", roles: "platform admin" } },
  "/api/v1/admin/hosts/{id}/reconcile": {
    get: { summary: "The last stored drift report, { report: { at, drift } | null }; reads only (no SSH)", roles: "platform admin" },
    post: {
      summary:
        "{ action: check } compares libvirt with the database now (unknown/missing domains, orphan volumes; stored and audited); { action: cleanup|adopt, domains, volumes } cleans up (skj- objects only) or adopts chosen drift",
      body: ReconcileInput,
      roles: "platform admin",
    },
  },
  "/api/v1/admin/hosts/{id}/network": {
    patch: {
      summary:
        "Set how the host gives guests addresses (ROUTED with uplink, BRIDGED with bridge, USER_FORWARD lab), checked on the host first; refused while it has live VMs, or leaving ROUTED while it owns routed pools",
      body: HostNetworkInput,
      roles: "platform admin",
    },
  },
  "/api/v1/admin/ip-pools": {
    get: {
      summary: "Address pools by name (query: region) with their use: held, quarantined, free and capacity (as text)",
      roles: "platform admin",
      list: true,
    },
    post: {
      summary:
        "Add a pool: routed (to one routed host; IPv6 carved into a /64 per VM) or segment (shared by bridged hosts, with its gateway); 201, or 422 naming each field (overlap, gateway outside the CIDR, prefix too small, unknown region or host), nothing stored",
      body: CreateIpPoolInput,
      roles: "platform admin",
    },
  },
  "/api/v1/admin/ip-pools/{id}": {
    get: { summary: "One pool with its use", roles: "platform admin" },
    patch: {
      summary: "Change name, gateway, range, reserved addresses or resolvers (never the prefix, family, kind, host or region)",
      body: UpdateIpPoolInput,
      roles: "platform admin",
    },
    delete: { summary: "Delete a pool; 409 in words while any address is held or in quarantine", roles: "platform admin" },
  },
  "/api/v1/admin/addresses/{address}": {
    get: {
      summary:
        "Who held an IPv4 or IPv6 address at a time (query: at, ISO 8601, default now): holders (VM, team, from, to) and the address's whole history, from the append-only address events",
      roles: "platform admin",
    },
  },
  "/api/v1/admin/network/quarantine": {
    get: { summary: "How long a released address rests before it is handed out again (seconds)", roles: "platform admin" },
    put: {
      summary: "Set the quarantine, 0 to 90 days; addresses already resting keep their end",
      body: QuarantineInput,
      roles: "platform admin",
    },
  },
  "/api/v1/admin/images": {
    get: { summary: "Image catalogue by slug with the copies registered on hosts", roles: "platform admin", list: true },
    post: {
      summary: "Register a base image on a host's pool; sha256 computed on the host",
      body: RegisterImageInput,
      roles: "platform admin",
    },
  },
  "/api/v1/regions/{code}/latency": {
    get: {
      summary:
        "Current latency of a region to each exchange target: median, p95, jitter, loss, last measurement, status ok | stale | no-data",
    },
  },
  "/api/v1/regions/{code}/latency/series": {
    get: { summary: "Chart points for one target (query: target, method icmp|tcp, from, to as ISO 8601; default the last 24 h)" },
  },
  "/api/v1/admin/latency/targets": {
    get: { summary: "Latency probe targets by exchange and name", roles: "platform admin", list: true },
    post: {
      summary: "Add a probe target (Skjold ships no addresses: use your exchange's route server or looking glass)",
      body: LatencyTargetInputSchema,
      roles: "platform admin",
    },
  },
  "/api/v1/admin/latency/targets/{id}": {
    patch: { summary: "Change a probe target", body: LatencyTargetUpdateSchema, roles: "platform admin" },
    delete: { summary: "Delete a probe target with its samples and roll-ups", roles: "platform admin" },
  },
  "/api/v1/admin/latency/probe": {
    post: { summary: "Probe every enabled target from every online host now; returns each host's result", roles: "platform admin" },
  },
  "/api/v1/admin/metrics": {
    get: {
      summary:
        "Prometheus text format 0.0.4 (latency per region, exchange, target, method); also `Authorization: Bearer <SKJOLD_METRICS_TOKEN>`",
      roles: "platform admin",
    },
  },
};

const ErrorBody = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: { code: { type: "string" }, message: { type: "string" }, details: {}, correlationId: { type: "string" } },
      required: ["code", "message"],
    },
  },
};

const PAGE_PARAMETERS = [
  {
    name: "limit",
    in: "query",
    required: false,
    description: `Rows on the page, ${DEFAULT_PAGE_SIZE} if left out; 422 outside 1–${MAX_PAGE_SIZE}`,
    schema: { type: "integer", minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
  },
  {
    name: "cursor",
    in: "query",
    required: false,
    description: "The previous page's nextCursor, unchanged (opaque); left out: the first page. 422 for one this list did not give out",
    schema: { type: "string" },
  },
];

const PageBody = {
  type: "object",
  properties: {
    items: { type: "array", items: {} },
    nextCursor: { type: ["string", "null"], description: "Pass as ?cursor= for the next page; null on the last page" },
  },
  required: ["items", "nextCursor"],
};

export function buildOpenApi(extra: Paths = {}) {
  const all = { ...API_PATHS, ...extra };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, ops] of Object.entries(all)) {
    paths[path] = {};
    for (const [method, op] of Object.entries(ops)) {
      const params: object[] = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
        name: m[1],
        in: "path",
        required: true,
        schema: { type: "string" },
      }));
      if (op.list) params.push(...PAGE_PARAMETERS);
      paths[path]![method] = {
        summary: op.summary,
        ...(op.roles ? { description: `Requires: ${op.roles}.` } : {}),
        ...(params.length ? { parameters: params } : {}),
        ...(op.auth === false ? { security: [] } : {}),
        ...(op.body
          ? {
              requestBody: {
                required: true,
                content: { "application/json": { schema: z.toJSONSchema(op.body, { io: "input", unrepresentable: "any" }) } },
              },
            }
          : {}),
        responses: {
          "200": op.list
            ? { description: "One page of the list", content: { "application/json": { schema: PageBody } } }
            : { description: "OK" },
          "4XX": { description: "A clear error the caller can act on", content: { "application/json": { schema: ErrorBody } } },
          ...(op.body
            ? {
                "415": { description: "The body was not sent as application/json", content: { "application/json": { schema: ErrorBody } } },
              }
            : {}),
          "503": {
            description: "The database cannot be reached for the moment (UNAVAILABLE): retry after Retry-After seconds",
            headers: { "Retry-After": { schema: { type: "integer" } } },
            content: { "application/json": { schema: ErrorBody } },
          },
        },
      };
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Skjold API",
      version: "1",
      description:
        "Authenticate with `Authorization: Bearer skj_…` (team API token) or a browser session. Request bodies are JSON only (`Content-Type: application/json`; anything else is 415). GETs only read. Every list answers `{ items, nextCursor }`, a page at a time: `?limit=` (default 50, at most 200) and `?cursor=` (the last page's nextCursor; null when there is no more).",
    },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths,
  };
}
