import type { TextParams } from "../../core/error-text";

// The English of the lines a VM's timeline shows, by key: addVmEvent stores the English as the
// event's `message` and the key with its values in `data.text`, so the VM page words the event in
// its reader's language (app/_i18n/nb/vm-events.ts) and an old row without a key shows its message.
// tests/unit/i18n-lib-text.test.ts checks that each keyed event's message reads as its key does.
// The outage events (host-waiting, host-back, rollback-incomplete, leftovers-removed) are worded
// from their own `data` (app/_i18n/vm-outage-text.ts).

export const vmEventText = {
  "event.backupFullOnly":
    "The VM's disk is qcow2 v2, which cannot record changed blocks: this backup is a full one, and so is every later one until the disk is restored from a backup (which writes it as v3)",
  "event.backupDone": "Backup {backup} ({kind}) on {target}: {bytes} bytes moved, sha256 {sha256}",
  "event.backupChainBroken": "The backup chain is broken ({why}): this backup is a full one",
  "event.backupFailed": "Backup {backup} on {target} failed and was removed: {cause}",
  "event.restored": "Restored from backup {backup} ({files} file(s), checksums verified)",
  "event.restoreFailed": "Restore from backup {backup} failed and was undone: {cause}",
  "event.backupDeleted": "Backup {backup} deleted from {target}",
  "event.provisioning": "Provisioning started",
  "event.failed": "Provisioning failed and was rolled back: {cause}",
  "event.placed": "Placed on {host}: {note}",
  "event.placedMoved": "Placed on {host} (moved from the reserved host): {note}",
  "event.port": "SSH will be forwarded from {host}'s 127.0.0.1:{port}",
  "event.disk": "Disk {disk} ({size} GB, copy-on-write of {base}) on {host}/{pool}",
  "event.seed": "cloud-init seed built: user {user}, key {keyName}, guest host key {fingerprint}",
  "event.networkRouted": "Tap {tap} on {host}, {ipv4}/32 routed to it; the host lets it send only from {mac}, {addresses}",
  "event.networkRoutedV6":
    "Tap {tap} on {host}, {ipv4}/32 and {ipv6Prefix} routed to it; the host lets it send only from {mac}, {addresses}",
  "event.networkBridged": "Tap {tap} on {host}, on bridge {bridge}; the host lets it send only from {mac}, {addresses}",
  "event.privateAttached": "Attached to private network {network} as {ipv4} (VNI {vni})",
  "event.privateDetached": "Detached from private network {network} ({ipv4} is free again)",
  "event.privateNetwork": "On private network {network} as {ipv4} (VNI {vni}, spanning {hosts})",
  "event.startedKvm": "Domain {domain} defined and started on {host} with KVM",
  "event.startedTcg": "Domain {domain} defined and started on {host} with TCG (software emulation: this host offers no working KVM)",
  "event.sshReady": "SSH answers with the pinned host key {fingerprint} (after {seconds} s in this attempt); cloud-init: {status}",
  "event.sshTimeout": "SSH did not answer within {seconds} s; the console's last lines are kept",
  "event.bootFailed": 'The guest cannot boot: its console says "{line}"',
  "event.hardenedChanged": "Hardening converged: {count} change(s) ({changes})",
  "event.hardenedUnchanged": "Hardening: the guest already matched (set up by cloud-init)",
  "event.verified": "Hardening report: {passed} passed, {failed} failed",
  "event.verifiedFailing": "Hardening report: {passed} passed, {failed} failed ({failing})",
  "event.readyPublic": "Ready: ssh {user}@{ipv4}",
  "event.readyDual": "Ready: ssh {user}@{ipv4} or ssh {user}@{ipv6}",
  "event.firewallApplied": "Firewall on {host}: {rules} inbound rule(s) from {sets}; outbound allow",
  "event.firewallAppliedDeny": "Firewall on {host}: {rules} inbound rule(s) from {sets}; outbound deny",
  "event.firewallRemoved": "Firewall removed on {host}: no rule set applied",
  "event.readyForwarded": "Ready: ssh -p {port} {user}@{address} on {host}",
  "event.personalised":
    "Served from the warm pool: hostname {name}, new host key {fingerprint} (the warm boot's removed), machine-id, random seed and cloud-init instance id replaced",
  "event.personalisedResumed":
    "Served from the warm pool: hostname {name}, new host key {fingerprint} (the warm boot's removed), machine-id, random seed and cloud-init instance id replaced (resumed after an interruption)",
  "event.warmDiscardedDead": "Warm guest discarded: its domain no longer runs on {host}",
  "event.warmDiscardedFailed": "Warm guest discarded: its boot failed",
  "event.power.started": "Started; libvirt reports {state}",
  "event.power.shutDown": "Shut down; libvirt reports {state}",
  "event.power.shutDownForced": "Shut down (forced off after the guest did not stop in time); libvirt reports {state}",
  "event.power.alreadyOff": "Already off; libvirt reports {state}",
  "event.power.rebootRequested": "Reboot requested; libvirt reports {state}",
  "event.power.forcedOff": "Forced off; libvirt reports {state}",
  "event.resized": "Resized to {plan}: {vcpus} vCPUs, {memoryMb} MiB, {diskGb} GB disk; {how}",
  "event.resizeFailed": "Resize to {plan} failed and was undone: {cause}",
  "event.deleting": "Deletion started",
  "event.removed": "Domain {domain}, its disk and its seed removed from {host}",
  "event.deleted": "Deleted; its history stays",
  "event.deletedResting": "Deleted; its history stays; its addresses rest until {until} before anyone else gets them",
  "event.deletedFree": "Deleted; its history stays; its addresses are free again",
} as const;

export type VmEventKey = keyof typeof vmEventText;

/** An event's values; a list (addresses) is joined with the reader's "and", as the English joins it with " and ". */
export type EventParams = Readonly<Record<string, TextParams[string] | readonly string[]>>;
