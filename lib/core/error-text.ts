// The English of every refusal lib/ words for a person, by key: the sentence an AppError carries as
// its `message` (the API returns it as is) and, under the same key, the dictionary area "errors"
// (app/_i18n/en/errors.ts re-exports this; app/_i18n/nb/errors.ts translates it). A key names one
// sentence; {placeholders} are filled from the AppError's `params`. A param named after a state or
// role (vmState, clusterState, jobState, role, policy) holds the enum value and is worded from the
// dictionary (app/_i18n/lib-text.ts), so keep the English here in the words those keys use.
// tests/unit/i18n-lib-text.test.ts checks that each keyed AppError's message reads as its key does.

export const errorText = {
  "error.backup.targetOutsidePolicy":
    'Backup target {target} ({where}) is outside this team\'s residency policy "{policy}": nothing was copied.',
  "error.backup.noTarget": "There is no active backup target named {target}.",
  "error.backup.vmNotRunning": "{name} is {vmState}: a backup is taken of a running VM.",
  "error.backup.notFound": "Backup not found",
  "error.backup.notGood": "Backup {backup} is {state}: only a complete, checksummed backup can be restored.",
  "error.backup.vmWrongState": "{name} is {vmState}; a running or stopped VM can be restored.",
  "error.backup.tampered":
    "Backup {backup} of {name} on {target} does not match the checksum recorded when it was taken (recorded {recorded}, now {found}): it was changed or damaged, so nothing was restored.",
  "error.backup.fileMissing": "Backup {backup} of {name} is no longer on {target}: nothing was restored.",
  "error.backup.copyMismatch": "Backup {backup}: the copy on {target} reads back as {found}, not {sent} as sent; it is copied again.",
  "error.backup.restoreFileGone": "The assembled disk {file} is gone from the VM's host; the restore must fetch the backup again.",
  "error.backup.incrementalRestore":
    "Backup {backup} is incremental: restoring a chain is not yet safe (a block zeroed since the backup before it could come back with its old content), so for now only a full backup can be restored.",
  "error.backup.hasChildren": "Backup {backup} is the base of {count} later backup(s): delete those first.",
  "error.backup.busy": "Backup {backup} is {state}; try again when it has finished.",
  "error.backupTarget.noHost": "Backup target: no host {host}",
  "error.backupTarget.noPool": "Backup target: host {host} has no storage pool {pool}",
  "error.backupTarget.nameTaken": "A backup target named {name} already exists",
  "error.ssh.streamStart": "{target}: {step}: could not start {command}",
  "error.ssh.streamFailed": "{target}: {step}: {command} failed: {why}",
  "error.account.totpAdminsOnly": "Two-factor sign-in is available to platform admins.",
  "error.account.totpStartFirst": "Start two-factor setup first.",
  "error.account.wrongPassword": "Your current password is not correct.",
  "error.address.invalid": "Address: {address} is not an IPv4 or IPv6 address",
  "error.cluster.alreadyDeleted": "{name} is already deleted.",
  "error.cluster.apiAccessNotReady": "{name} is {clusterState}: the API's networks can be changed once it is ready (or has failed).",
  "error.cluster.kubeconfigNotReady": "Cluster {name} is {clusterState}: its kubeconfig is available once it is ready.",
  "error.cluster.noServerYet": "Cluster {name} has no running server node yet",
  "error.cluster.noSuchCluster": "No such cluster",
  "error.cluster.notFound": "Cluster not found",
  "error.cluster.notProvisioning": "Cluster {name} is no longer being provisioned",
  "error.cluster.retryNotFailed": "{name} is {clusterState}: only a failed cluster can be retried.",
  "error.cluster.verifyNotReady": "{name} is {clusterState}: only a ready cluster can be checked.",
  "error.cluster.verifyNotReadyJob": "Cluster {name} is {clusterState}: only a ready cluster can be checked",
  "error.code.invalid": "That code is not valid. Check your authenticator's clock and try again.",
  "error.host.acceleratorUnprobed": "Host {host}: its accelerator (KVM or TCG) has not been probed yet; run host discovery",
  "error.host.changedWhileConfirming": "{name} changed while you confirmed its key; reload and try again.",
  "error.host.hasVm": "{name} still has {count} virtual machine: {names}. Drain it and move or delete them first.",
  "error.host.hasVms": "{name} still has {count} virtual machines: {names}. Drain it and move or delete them first.",
  "error.host.keyAlreadyPinned": "{name}: its host key is already pinned ({fingerprint}); nothing to confirm.",
  "error.host.keyChanged": "{name}: its SSH host key changed. All work on it is stopped until an admin confirms the new key.",
  "error.host.keyNotConfirmed": "{name}: its SSH host key has not been confirmed by an admin yet.",
  "error.host.keyUnchanged": "{name}: its host key has not changed; nothing to re-confirm.",
  "error.host.modeInUse": "{name} has {count} VM(s) set up for {mode} networking; move or delete them before changing its mode",
  "error.host.nameTaken": "A host named {name} already exists.",
  "error.host.noDriftChosen": "None of the chosen objects is drift on this host right now.",
  "error.host.noForwardPort": "Host {host} has no free SSH forward port in {start}–{end}",
  "error.host.notFound": "Host not found",
  "error.host.ownsPools":
    "{name} still owns {pools}. Delete them under Admin → Networks first (a pool waits until no VM holds its addresses and their quarantine has ended).",
  "error.host.regionMissing": "Region {regionCode} does not exist.",
  "error.internal": "Something went wrong on our side. Quote this id to your operator: {id}",
  "error.image.checksum": "{host}: {volume} has sha256 {sha256}, not the expected {expected}. Not registered.",
  "error.image.noPool": "{host} has no storage pool {pool} (refresh the host if it was added recently).",
  "error.image.noVolume": "{host}: volume {volume} is not in pool {pool}.",
  "error.image.notInCatalogue": "Image {slug} is not in the catalogue.",
  "error.image.notOnHost": "Image {image} is not on host {host}",
  "error.invite.alreadyMember": "{email} is already a member of {team}.",
  "error.invite.invalid": "This invitation is not valid any more. Ask for a new one.",
  "error.invite.namePassword": "Choose your name and a password of at least 12 characters.",
  "error.invite.signInAs": "Sign in as {email} to accept this invitation.",
  "error.job.alreadyEnded": "The job has already ended ({jobState})",
  "error.job.cancelled": "The job was cancelled",
  "error.job.enqueueFailed": "The job could not be enqueued; try again",
  "error.job.notFound": "Job not found",
  "error.latency.noRegion": "That region does not exist",
  "error.latency.noTarget": "That probe target does not exist",
  "error.latency.portNeeded": "Invalid probe target: port: a TCP probe needs a port",
  "error.latency.targetExists": 'A probe target named "{name}" already exists for {exchange}',
  "error.notFound": "Not found",
  "error.plan.exists": "Plan {code} already exists.",
  "error.plan.notFound": "Plan not found",
  "error.pool.nameTaken": "Pool: name: a pool named {name} already exists in {region} ({regionCode})",
  "error.pool.notFound": "That address pool does not exist",
  "error.quota.disk": "Your team's quota allows {limit} GB of disk; {used} GB are in use and this plan needs {needs} GB.",
  "error.quota.memory": "Your team's quota allows {limit} MiB of memory; {used} MiB are in use and this plan needs {needs} MiB.",
  "error.quota.vcpusManyMany": "Your team's quota allows {limit} vCPUs; {used} are in use and this plan needs {needs}.",
  "error.quota.vcpusManyOne": "Your team's quota allows {limit} vCPUs; {used} is in use and this plan needs {needs}.",
  "error.quota.vcpusOneMany": "Your team's quota allows {limit} vCPU; {used} are in use and this plan needs {needs}.",
  "error.quota.vcpusOneOne": "Your team's quota allows {limit} vCPU; {used} is in use and this plan needs {needs}.",
  "error.quota.vmsManyMany": "Your team's quota allows {limit} VMs; {used} are in use.",
  "error.quota.vmsManyOne": "Your team's quota allows {limit} VMs; {used} is in use.",
  "error.quota.vmsOneMany": "Your team's quota allows {limit} VM; {used} are in use.",
  "error.quota.vmsOneOne": "Your team's quota allows {limit} VM; {used} is in use.",
  "error.region.doesNotExist": "Region {regionCode} does not exist",
  "error.region.exists": "Region {code} already exists.",
  "error.region.missing": "There is no region {regionCode}",
  "error.region.notFound": "Region not found",
  "error.request.notJson": "Request body is not valid JSON",
  "error.request.tooLarge": "Request body is larger than {maxBytes} bytes",
  "error.residency.noExport": "No completed report export with this id. An export is recorded when its last byte has been sent.",
  "error.residency.notBroken": "The ledger is not known to be broken: there is nothing to acknowledge.",
  "error.residency.periodOrder": "The period start must not be after the as-of date",
  "error.residency.portalRegionMissing": "Invalid portal location: region {regionCode} does not exist",
  "error.residency.regionOutsidePolicy":
    'Region {where} is outside this team\'s residency policy "{policy}". Choose a region in: {jurisdictions}.',
  "error.residency.sinceAfterAsOf": "Invalid report query: since must not be after asOf",
  "error.signIn.expired": "Your sign-in has expired. Sign in again.",
  "error.signIn.rateLimited": "Too many sign-in attempts. Try again in {minutes} minutes.",
  "error.signIn.rateLimitedMinute": "Too many sign-in attempts. Try again in {minutes} minute.",
  "error.signIn.tooManyCodes": "Too many codes tried. Sign in again later.",
  "error.signIn.wrong": "Email or password is incorrect.",
  "error.signingKey.duplicate": 'This key is already registered for the team as "{name}" ({fingerprint}).',
  "error.signingKey.invalid": "Signing key: publicKey: {reason}",
  "error.signingKey.limit": "A team can register at most {max} signing keys. Remove one you no longer sign with.",
  "error.signingKey.nameTaken": 'The team already has a signing key named "{name}". Pick another name.',
  "error.signingKey.notFound": "Signing key not found",
  "error.signingKey.taken": "This key or this name is already registered for the team.",
  "error.sshKey.duplicate": 'This key is already on your account as "{name}" ({fingerprint}).',
  "error.sshKey.limit": "You can keep at most {max} SSH keys. Delete one you no longer use.",
  "error.sshKey.nameTaken": 'You already have a key named "{name}". Pick another name.',
  "error.sshKey.notFound": "SSH key not found",
  "error.sshKey.personOnly": "SSH keys belong to a person: manage them signed in to the portal, not with a team API token.",
  "error.sshKey.taken": "This key or this name is already on your account.",
  "error.team.lastOwner": "A team needs at least one owner. Make someone else owner first.",
  "error.team.noAccount": "No account uses {ownerEmail}. Create the team, then invite them.",
  "error.team.notFound": "Team not found",
  "error.team.notMember": "That person is not a member of this team.",
  "error.team.roleCannot": "Your role in {teamName} ({role}) cannot do this.",
  "error.team.slugTaken": 'A team with the address "{slug}" already exists.',
  "error.token.browserOnly": "API tokens are created in the browser by a team owner.",
  "error.token.nameTaken": 'A token named "{name}" already exists in this team.',
  "error.token.notFound": "Token not found or already revoked.",
  "error.unavailable":
    "The database is unavailable for the moment. Retry in {seconds} seconds; if it lasts, quote this id to your operator: {id}",
  "error.vm.alreadyDeleted": "{name} is already deleted.",
  "error.vm.resizeNoVolumeSize": "virsh vol-info gave no capacity for {volume}: {output}",
  "error.vm.resizeDiskShort": "{volume} is {now} bytes after growing it to {bytes}",
  "error.vm.resizeFilesystemShort": "the guest's root filesystem is {size} bytes after growing it to a {bytes}-byte disk",
  "error.vm.resizeShrink":
    "Plan {plan} has a {planDisk} GB disk and {name}'s is {vmDisk} GB: a disk cannot shrink. Pick a plan with at least {minDisk} GB.",
  "error.vm.resizeSame": "{name} already has {plan}'s size; nothing to change.",
  "error.vm.resizeHostUnknown": "{name}'s host has not reported its capacity yet; try again later.",
  "error.vm.resizeNoVcpus":
    "{name}'s host {host} has no room for {plan}: its other VMs use {used} of {cap} vCPUs and the new plan needs {needs}.",
  "error.vm.resizeNoMemory":
    "{name}'s host {host} has no room for {plan}: its other VMs use {used} of {cap} MiB and the new plan needs {needs} MiB.",
  "error.vm.resizeNoDisk": "{name}'s host {host} has {free} GiB free in its storage pool; {plan}'s disk needs {more} GiB more.",
  "error.vm.resizeWrongState": "{name} is {vmState}; a running or stopped VM can change its plan.",
  "error.vm.planNotFound": "Plan {plan} does not exist or is no longer offered.",
  "error.vm.bootEmergencyShell":
    "The guest stopped in an emergency shell while booting (\"{line}\"): a file system or a service it needs failed; the console's last lines are on the VM's page",
  "error.vm.bootGrubRescue":
    "The guest's boot loader stopped at GRUB's rescue prompt (\"{line}\"): it cannot find its own files on the disk; the console's last lines are on the VM's page",
  "error.vm.bootKernelPanic": "The guest's kernel panicked while booting (\"{line}\"); the console's last lines are on the VM's page",
  "error.vm.bootNoDevice":
    "The guest found no bootable device on its disk: image {image} has no boot loader, so it must be registered with its kernel and initrd (Admin → Images)",
  "error.vm.busy": "{name} is busy ({job}); try again when it has finished.",
  "error.vm.busyPower": "{name} is busy (another power action); try again when it has finished.",
  "error.vm.cannotProvision": "VM {name} is {vmState}; it cannot be provisioned",
  "error.vm.deleteWaiting": "waiting for the VM's running job to finish or roll back",
  "error.vm.gone": "VM {vmId} no longer exists",
  "error.vm.inState": "VM {name} is {vmState}",
  "error.vm.nameTaken": 'Your team already has a VM named "{name}". Pick another name or delete that VM first.',
  "error.vm.noHardeningReport": "{name} has no hardening report yet",
  "error.vm.noHost": "VM {name} has no host yet",
  "error.vm.noManagementKey": "VM {name} has no management key recorded (was it provisioned by Skjold?)",
  "error.vm.noSshAddress": "VM {name} has no SSH address recorded",
  "error.vm.noSuchVm": "No such VM",
  "error.console.peopleOnly": "The console is for a signed-in person, not an API token.",
  "error.console.notRunning": "{name} is {vmState}; the console works on a running VM.",
  "error.console.tooMany": "{name} already has {max} console sessions open; close one first.",
  "error.console.unavailable": "The console of {name} could not be opened on its host; try again in a moment.",
  "error.console.sessionNotFound": "Console session not found",
  "error.console.passwordFailed": "The console password could not be set on {name}: the guest refused it (exit {code}).",
  "error.vm.notFound": "VM not found",
  "error.privateNetwork.alreadyOn": "The VM is already on private network {name}",
  "error.privateNetwork.tooMany": "A VM has at most {max} private network cards",
  "error.privateNetwork.notOn": "{vm} is not on private network {name}",
  "error.privateNetwork.vmState": "{name} is {vmState}; its private networks cannot change now.",
  "error.privateNetwork.guestFailed": "{name}: addressing its private network card failed: {why}",
  "error.privateNetwork.nicGone": "{name}: its private network card was taken away while it was being attached",
  "error.privateNetwork.full": "Private network {name} has no free address left",
  "error.privateNetwork.hostCannot": "Private networks need a routed or bridged host; {host} is a lab-trial host (user-mode networking)",
  "error.privateNetwork.inUse": "Private network {name} is in use by {vms}; delete them or take them off it first",
  "error.privateNetwork.nameTaken": "The team already has a private network named {name} in {region}",
  "error.privateNetwork.noMac": "Could not find a free MAC address for a private network card; try again",
  "error.privateNetwork.noSuggestion": "Private network: cidr: no free 10.x.y.0/24 is left; name a range",
  "error.privateNetwork.noUnderlay": "Host {host}: its address {address} is not an IPv4 address, which the VXLAN of private networks needs",
  "error.privateNetwork.noVni": "Region {region} has no free VNI left",
  "error.privateNetwork.notFound": "Private network not found",
  "error.privateNetwork.overlap":
    "Private network: cidr: {cidr} overlaps {other} ({otherCidr}), another of the team's networks in {region}",
  "error.privateNetwork.unknownForOrder": "Order: privateNetworkIds.{index}: is not one of the team's private networks in {region}",
  "error.privateNetwork.unknownRegion": "Private network: regionCode: {region} is not a region",
  "error.firewall.notFound": "Rule set not found",
  "error.firewall.nameTaken": "The team already has a rule set named {name}",
  "error.firewall.inUse": "Rule set {name} is applied to {vms}; take it off them first",
  "error.firewall.vmState": "{name} is {vmState}; its firewall cannot change.",
  "error.firewall.notEnforced":
    "{name} runs on {host}, a lab-trial host (user-mode networking, no tap of its own): a host firewall cannot be enforced there",
  "error.firewall.unknownSet": "VM firewall: ruleSetIds.{index}: is not one of the team's rule sets",
  "error.vm.notPlaced": "VM {name} is not placed on a host",
  "error.vm.notReachableYet": "VM {name}: no management key, guest host key or SSH address recorded yet",
  "error.vm.notRunningStart": "VM {name} is not running; start it instead",
  "error.vm.powerWrongState": "{name} is {vmState}; power actions work on a running or stopped VM.",
  "error.vm.sshKeyDeleted": "The SSH key chosen for {name} was deleted; order again with another key",
  "error.vm.warmReportFailing": "The warm guest taken for {name} fails its hardening report ({failing}): discarded",
  "error.vm.notFromWarmPool": "VM {name} was not taken from a warm pool",
  "error.warmPool.noRegion": "Warm pool: region: no region {code}",
  "error.warmPool.noPlan": "Warm pool: plan: no plan {code}",
  "error.warmPool.noImage": "Warm pool: image: no image {slug}",
  "error.vm.verifyNotRunning": "{name} is {vmState}: only a running VM can be checked.",
  "error.vm.verifyWrongState": "VM {name} is {vmState}: only a running VM can be verified",
  "error.sshKey.truncated": "The key data is truncated: copy the whole line from your .pub file.",
  "error.sshKey.private":
    "This is a PRIVATE key. Never paste it anywhere: paste the public key instead (the .pub file, e.g. ~/.ssh/id_ed25519.pub).",
  "error.sshKey.rfc4716":
    "This is an RFC 4716 (SSH2) public key. Convert it to OpenSSH format with `ssh-keygen -i -f key.pub` and paste that line.",
  "error.sshKey.notOpenSsh":
    "This does not look like an OpenSSH public key. Paste one line that starts with ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa.",
  "error.sshKey.ed25519Length": "The ed25519 key is not 32 bytes long: the key data is damaged.",
  "error.sshKey.curveMismatch": "The curve inside the key does not match {type}: the key data is damaged.",
  "error.sshKey.ecdsaPoint": "The ECDSA point is malformed: the key data is damaged.",
  "error.sshKey.rsaTooShort":
    "This RSA key has {bits} bits; Skjold accepts RSA keys of {min} bits or more. Better: create an ed25519 key with `ssh-keygen -t ed25519`.",
  "error.sshKey.rsaTooLong": "This RSA key has {bits} bits; OpenSSH accepts at most {max}.",
  "error.sshKey.tooLong": "A public key is at most {max} characters; this is not one key.",
  "error.sshKey.empty": "Paste your public key.",
  "error.sshKey.lines": "Paste exactly one key; this has {lines} lines. Add each key separately.",
  "error.sshKey.options":
    "Remove the options before the key type (e.g. from=\u2026, command=\u2026): Skjold installs the key without options.",
  "error.sshKey.typeRefused":
    "{type} keys are not accepted. Use ssh-ed25519, ecdsa-sha2-nistp256/384/521, or ssh-rsa with at least {min} bits.",
  "error.sshKey.base64": "The key data (the part after the key type) is not valid base64: copy the whole line again.",
  "error.sshKey.several": "Paste exactly one key; this line holds several. Add each key separately.",
  "error.sshKey.comment": "The key's comment is too long or contains control characters.",
  "error.sshKey.typeMismatch": "The line says {type} but the key data is {embedded}: the line was edited or damaged.",
  "error.sshKey.material": "The key material is not a valid public key: the key data is damaged.",
  "error.sshKey.extraData": "There is extra data after the key: the key data is damaged.",
  "error.cluster.nameTaken": 'Your team already has a cluster named "{name}". Pick another name.',
  "error.cluster.nameTakenDeleted": 'Your team already has a cluster named "{name}" (deleted). Pick another name.',
  "error.address.noPool": "No free public IPv4 address for {host} in {region} ({regionCode}): no IPv4 pool serves it.",
  "error.address.fullV4One": "No free public IPv4 address for {host} in {region} ({regionCode}): {pools} is full.",
  "error.address.fullV4Many": "No free public IPv4 address for {host} in {region} ({regionCode}): {pools} are full.",
  "error.address.fullV6One": "No free public IPv6 prefix for {host} in {region} ({regionCode}): {pools} is full.",
  "error.address.fullV6Many": "No free public IPv6 prefix for {host} in {region} ({regionCode}): {pools} are full.",
  "error.stream.failed": "The progress stream failed; reload the page.",
  "error.host.fingerprintDiffers":
    "{name}: the fingerprint you confirmed ({fingerprint}) is not the key the host presents now ({algorithm} {presented}). Nothing was pinned; compare again.",
  "error.image.noBootLoader":
    "{host}: {volume} has no boot loader (no boot sector on its disk), so a VM made from it would never boot. Give the kernel and initrd it boots with (scripts/build-guest-image writes their paths to /var/lib/skjold-lab/lab.json, image.kernelPath and image.initrdPath).",
  "error.image.fileUnreadable": "{host}: {file} is not a readable file on the host.",
  "error.host.privateKeyEncrypted": "Host: privateKey: it is protected by a passphrase; paste an unencrypted key.",
  "error.host.privateKeyUnreadable": "Host: privateKey: it could not be read.",
  "error.cluster.nodeRefusedAgent": "Cluster {name} needs {nodes} nodes (1 server, {agents} agent); node {node} was refused: {reason}",
  "error.cluster.nodeRefusedAgents": "Cluster {name} needs {nodes} nodes (1 server, {agents} agents); node {node} was refused: {reason}",
  "error.cluster.nodeRefusedAgentNothingOrdered":
    "Cluster {name} needs {nodes} nodes (1 server, {agents} agent); node {node} was refused: {reason} Nothing was ordered.",
  "error.cluster.nodeRefusedAgentsNothingOrdered":
    "Cluster {name} needs {nodes} nodes (1 server, {agents} agents); node {node} was refused: {reason} Nothing was ordered.",
  "error.pool.inUse": "Pool {name} ({cidr}) cannot be deleted: {reasons}. Delete those VMs first, and wait for the quarantine to end.",
  "error.pool.heldOne": "1 address is held by VMs ({holders})",
  "error.pool.held": "{count} addresses are held by VMs ({holders})",
  "error.pool.restingOne": "1 address is in quarantine until {until} UTC",
  "error.pool.resting": "{count} addresses are in quarantine until {until} UTC",
  "error.pool.holder": "{address} by {vm}",
  "error.residency.portalMoveRefused":
    "Cannot move the portal to {region} ({regionCode}, {jurisdiction}): it would hold the account data of {count} team(s) outside their residency policy: {teams}.",
  "error.residency.teamPolicy": "{slug} ({policy})",
  "error.residency.policyChangeRefused":
    'Cannot change the residency policy to "{policy}": {count} resource(s) are outside it: {resources}. Move or delete them first.',
  "error.residency.resourceIn": "{name} in {regionCode} ({jurisdiction})",
  "error.list.and": "{first} and {second}",
  "error.list.next": "{first}, {rest}",
  "error.list.more": "{items}, …",
  "error.list.andMore": "{items} and {more} more",
} as const;

export type ErrorKey = keyof typeof errorText;

/**
 * Values for a key's {placeholders}, written as a template literal writes them (`${null}` is "null");
 * a refusal inside another (a cluster's node refused) as its own text, worded the same way.
 */
export type TextParams = Readonly<Record<string, string | number | null | undefined | NestedError>>;

/** Another AppError's text as a value: its English `message`, and what words it in another language. */
export interface NestedError {
  readonly message: string;
  readonly code: string;
  readonly key?: ErrorKey;
  readonly params?: TextParams;
  readonly details?: unknown;
}

const written = (value: TextParams[string]) => (value !== null && typeof value === "object" ? value.message : String(value));

/** The English of `key` with its {placeholders} filled: the message of an AppError made from a key alone. */
export function errorMessage(key: ErrorKey, params: TextParams = {}): string {
  return errorText[key].replace(/\{(\w+)\}/g, (all, name: string) => (name in params ? written(params[name]) : all));
}

/** A keyed text to put inside another's {placeholder}: English as its message, the key to word it by. */
export function nestedText(key: ErrorKey, params: TextParams = {}): NestedError {
  return { message: errorMessage(key, params), code: "TEXT", key, params };
}

/**
 * Items as one value, joined with ", " ("a, b, c"), each worded by its own key; `more` items left out
 * are said as "…" (`more: true`) or "and N more" (a count).
 */
export function listText(items: readonly NestedError[], more: boolean | number = false): NestedError {
  if (items.length === 0) throw new Error("listText needs at least one item");
  let list = items[items.length - 1]!;
  for (let i = items.length - 2; i >= 0; i--) list = nestedText("error.list.next", { first: items[i]!, rest: list });
  if (more === true) return nestedText("error.list.more", { items: list });
  if (typeof more === "number" && more > 0) return nestedText("error.list.andMore", { items: list, more });
  return list;
}
