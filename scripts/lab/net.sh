# The multi-host network lab of scripts/lab-host (sourced, not run): several libvirt hosts on this
# one machine, each in its own network and mount namespace with its own sshd, virtlogd, libvirtd and
# storage pool, joined by an underlay that an "upstream" namespace routes (it stands for the
# provider and the internet), and a "client" namespace that stands for a tenant on the internet.
#
#   root namespace (the portal)  skjlab0 203.0.113.234/29 ──┐
#                                                           │ wan0 (bridge in skjlab-up): 203.0.113.233/29,
#   skjlab-h1 (routed)  uplink 203.0.113.235/29 ────────────┤ 2001:db8:0:1::1/64, 203.0.113.193/27 (the
#   skjlab-h2 (bridged) br0 ⊃ uplink, 203.0.113.236/29 ─────┤ bridged segment's gateway)
#                                                           │
#   skjlab-client eth0 203.0.113.242/29 ── client ──────────┘ skjlab-up routes each routed host's pools to it
#
# Every address is in documentation prefixes, and only in 203.0.113.128/25 and 2001:db8::/32. These
# machines use 192.0.2.0/24 for their own eth0 and reach their package proxy at 203.0.113.80 by the
# default route; the latency tests' namespaces use 198.51.100.0/24 and 203.0.113.0/27. The root
# namespace gets unreachable routes for the lab's own prefixes (not for the proxy's), so nothing of
# the lab can ever leave by the machine's default route. Expects LAB_DIR, LAB_USER, CLIENT_KEY, LIBVIRTD_CONF from the caller.

NET_JSON=$LAB_DIR/net.json
NET_UP=skjlab-up
NET_CLIENT=skjlab-client
NET_ROOT_IF=skjlab0
SUDOERS=/etc/sudoers.d/skjold-lab
LAB_PREFIX_V4=203.0.113.128/25
LAB_PREFIX_V6=2001:db8::/32

host_ns() { echo "skjlab-h$1"; }
host_dir() { echo "$LAB_DIR/hosts/h$1"; }
host_addr() { echo "203.0.113.$((234 + $1))"; }
host_addr6() { echo "2001:db8:0:1::$((10 + $1))"; }
# A routed host's pools: 203.0.113.(128+16(i-1))/28 and 2001:db8:1i00::/56.
routed_v4() { echo "203.0.113.$((128 + 16 * ($1 - 1)))/28"; }
routed_v6() { echo "2001:db8:1$1""00::/56"; }
BRIDGED_V4=203.0.113.192/27
BRIDGED_GW4=203.0.113.193
BRIDGED_V6=2001:db8:0:1::/64
BRIDGED_GW6=2001:db8:0:1::1

ns_exists() { ip netns list | awk '{print $1}' | grep -qx "$1"; }
in_ns() { ip netns exec "$@"; }
# Runs a command in host i's mount and network namespace (where its libvirtd's sockets are).
in_host() {
  local i=$1; shift
  nsenter -t "$(cat "$(host_dir "$i")/libvirtd.pid")" -m -n -- "$@"
}
host_virsh() { local i=$1; shift; in_host "$i" virsh -q -c qemu:///system "$@"; }
host_daemons_up() {
  local d; d=$(host_dir "$1")
  pid_alive "$d/libvirtd.pid" && pid_alive "$d/virtlogd.pid" && pid_alive "$d/sshd.pid"
}

ensure_ns() {
  ns_exists "$1" || ip netns add "$1"
  ip -n "$1" link set lo up
}

# veth pair: $1 in namespace $2 (or root when $2 is empty), $3 in namespace $4.
ensure_veth() {
  local a=$1 ans=$2 b=$3 bns=$4
  if [ -n "$ans" ]; then ip -n "$ans" link show "$a" >/dev/null 2>&1 && return 0; else ip link show "$a" >/dev/null 2>&1 && return 0; fi
  ip link add "$a.t" type veth peer name "$b.t"
  ip link set "$b.t" netns "$bns" && ip -n "$bns" link set "$b.t" name "$b"
  if [ -n "$ans" ]; then ip link set "$a.t" netns "$ans" && ip -n "$ans" link set "$a.t" name "$a"; else ip link set "$a.t" name "$a"; fi
}

# The lab must not take addresses this machine already uses: its package proxy (resolved through
# /etc/hosts here) or an address of its own outside the lab's interface.
in_lab_v4() { case "$1" in 203.0.113.*) [ "${1##*.}" -ge 128 ] ;; *) return 1 ;; esac; }
check_lab_prefixes_free() {
  local name a
  for name in registry.npmjs.org deb.debian.org; do
    for a in $(getent ahostsv4 "$name" 2>/dev/null | awk '{print $1}' | sort -u); do
      in_lab_v4 "$a" && die "$name resolves to $a, inside the lab's $LAB_PREFIX_V4: the lab would cut this machine off"
    done
  done
  for a in $(ip -4 -o addr show | awk '$2 != "'"$NET_ROOT_IF"'" {split($4, p, "/"); print p[1]}'); do
    in_lab_v4 "$a" && die "this machine already has $a, inside the lab's $LAB_PREFIX_V4"
  done
  return 0
}

net_upstream() {
  check_lab_prefixes_free
  ensure_ns "$NET_UP"
  in_ns "$NET_UP" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  ip -n "$NET_UP" link show wan0 >/dev/null 2>&1 || ip -n "$NET_UP" link add wan0 type bridge
  # No multicast snooping on the lab's bridges: with no MLD querier on the segment, a snooping bridge
  # stops flooding a guest's solicited-node group once its entry ages out, and IPv6 neighbour
  # discovery to bridged guests fails minutes after boot (seen here). docs/networking.md says the same
  # for a real host's bridge.
  ip -n "$NET_UP" link set wan0 type bridge mcast_snooping 0
  ip -n "$NET_UP" link set wan0 up
  ip -n "$NET_UP" addr replace 203.0.113.233/29 dev wan0
  ip -n "$NET_UP" addr replace "$BRIDGED_GW4/${BRIDGED_V4#*/}" dev wan0
  ip -n "$NET_UP" -6 addr replace "$BRIDGED_GW6/64" dev wan0 nodad
  # The portal (root namespace) on the underlay.
  ensure_veth "$NET_ROOT_IF" "" up-portal "$NET_UP"
  ip -n "$NET_UP" link set up-portal master wan0 up
  ip link set "$NET_ROOT_IF" up
  ip addr replace 203.0.113.234/29 dev "$NET_ROOT_IF"
  ip -6 addr replace 2001:db8:0:1::2/64 dev "$NET_ROOT_IF" nodad
  # Safety net first: documentation prefixes never follow the root namespace's default route; the
  # lab's own routes below are more specific.
  ip route replace unreachable "$LAB_PREFIX_V4" metric 4000
  ip -6 route replace unreachable "$LAB_PREFIX_V6" metric 4000
  ip route replace 203.0.113.128/26 via 203.0.113.233 dev "$NET_ROOT_IF"
  ip route replace "$BRIDGED_V4" via 203.0.113.233 dev "$NET_ROOT_IF"
  ip -6 route replace 2001:db8:1000::/36 via 2001:db8:0:1::1 dev "$NET_ROOT_IF"
  # The client: a tenant somewhere on the internet.
  ensure_ns "$NET_CLIENT"
  ensure_veth client "$NET_UP" eth0 "$NET_CLIENT"
  ip -n "$NET_UP" link set client up
  ip -n "$NET_UP" addr replace 203.0.113.241/29 dev client
  ip -n "$NET_UP" -6 addr replace 2001:db8:0:c::1/64 dev client nodad
  ip -n "$NET_CLIENT" link set eth0 up
  ip -n "$NET_CLIENT" addr replace 203.0.113.242/29 dev eth0
  ip -n "$NET_CLIENT" -6 addr replace 2001:db8:0:c::2/64 dev eth0 nodad
  ip -n "$NET_CLIENT" route replace default via 203.0.113.241
  ip -n "$NET_CLIENT" -6 route replace default via 2001:db8:0:c::1
}

write_host_sshd_conf() {
  local i=$1 d; d=$(host_dir "$i")
  [ -f "$d/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C "skjold-lab-h$i" -f "$d/ssh_host_ed25519_key"
  cat >"$d/sshd_config" <<CONF
# Skjold lab host h$i: its underlay address only, key-only, one user.
Port 22
ListenAddress $(host_addr "$i")
ListenAddress $(host_addr6 "$i")
HostKey $d/ssh_host_ed25519_key
PidFile $d/sshd.pid
PermitRootLogin no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AllowUsers $LAB_USER
X11Forwarding no
AllowTcpForwarding local
MaxSessions 64
MaxStartups 64:30:128
Subsystem sftp internal-sftp
CONF
  /usr/sbin/sshd -t -f "$d/sshd_config" || die "sshd rejected $d/sshd_config"
}

# Host i's links: its uplink on wan0; routed: addresses on the uplink and forwarding on;
# bridged: the uplink enslaved to br0, which carries the host's address and its guests' taps.
net_host_links() {
  local i=$1 mode=$2 ns; ns=$(host_ns "$i")
  ensure_ns "$ns"
  ensure_veth "h$i" "$NET_UP" uplink "$ns"
  ip -n "$NET_UP" link set "h$i" master wan0 up
  ip -n "$ns" link set uplink up
  local dev=uplink
  if [ "$mode" = bridged ]; then
    ip -n "$ns" link show br0 >/dev/null 2>&1 || ip -n "$ns" link add br0 type bridge
    ip -n "$ns" link set br0 type bridge mcast_snooping 0
    ip -n "$ns" link set uplink master br0
    ip -n "$ns" link set br0 up
    # The host firewall on a bridge needs conntrack (docs/networking.md "Firewall"): bridged frames
    # pass through the inet forward hook only with br_netfilter and bridge-nf-call-ip(6)tables = 1.
    modprobe br_netfilter 2>/dev/null || true
    in_ns "$ns" sysctl -qw net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-ip6tables=1 \
      || die "br_netfilter is not available: bridged hosts need it for the host firewall"
    dev=br0
  else
    in_ns "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
    ip -n "$NET_UP" route replace "$(routed_v4 "$i")" via "$(host_addr "$i")"
    ip -n "$NET_UP" -6 route replace "$(routed_v6 "$i")" via "$(host_addr6 "$i")"
  fi
  ip -n "$ns" addr replace "$(host_addr "$i")/29" dev "$dev"
  ip -n "$ns" -6 addr replace "$(host_addr6 "$i")/64" dev "$dev" nodad
  ip -n "$ns" route replace default via 203.0.113.233
  ip -n "$ns" -6 route replace default via 2001:db8:0:1::1
}

# Host i's daemons, in a mount namespace of their own that keeps libvirt's runtime folders apart
# from the machine's lab libvirtd (which keeps running, with its guests).
net_host_daemons() {
  local i=$1 ns d; ns=$(host_ns "$i"); d=$(host_dir "$i")
  mkdir -p "$d"/{run,lib,log,cache} && install -d -m 755 "$d/pool"
  host_daemons_up "$i" && return 0
  for f in libvirtd virtlogd sshd; do pid_alive "$d/$f.pid" && kill "$(cat "$d/$f.pid")"; rm -f "$d/$f.pid"; done
  write_host_sshd_conf "$i"
  mkdir -p /run/libvirt /run/sshd
  in_ns "$ns" unshare -m --propagation private /bin/sh -c '
    set -e
    mount --bind "$1/run" /run/libvirt; mount --bind "$1/lib" /var/lib/libvirt
    mount --bind "$1/log" /var/log/libvirt; mount --bind "$1/cache" /var/cache/libvirt
    virtlogd -d -p "$1/virtlogd.pid"
    libvirtd -d -f "$2" -p "$1/libvirtd.pid"
    /usr/sbin/sshd -f "$1/sshd_config"' skjlab "$d" "$LIBVIRTD_CONF" || die "host h$i's daemons did not start"
  for _ in $(seq 100); do
    [ -f "$d/libvirtd.pid" ] && host_virsh "$i" version >/dev/null 2>&1 && break
    sleep 0.1
  done
  host_virsh "$i" version >/dev/null 2>&1 || die "host h$i's libvirtd is not answering"
}

net_host_pool() {
  local i=$1 d; d=$(host_dir "$i")
  if ! host_virsh "$i" pool-info "$POOL" >/dev/null 2>&1; then
    host_virsh "$i" pool-define-as "$POOL" dir --target "$d/pool" >/dev/null
  fi
  [ "$(host_virsh "$i" pool-info "$POOL" 2>/dev/null | awk '$1=="State:"{print $2}')" = running ] || host_virsh "$i" pool-start "$POOL" >/dev/null
  host_virsh "$i" pool-refresh "$POOL" >/dev/null
}

ensure_sudoers() {
  # Skjold's host user configures guest taps, routes and anti-spoofing rules as root. `ip` and `nft`
  # are root-equivalent, as membership of group libvirt already is (docs/networking.md says so).
  local tmp; tmp=$(mktemp)
  printf '%s ALL=(root) NOPASSWD: /usr/sbin/ip, /usr/sbin/nft, /usr/sbin/bridge\n' "$LAB_USER" >"$tmp"
  visudo -cqf "$tmp" || die "visudo rejected the lab's sudoers line"
  install -m 440 "$tmp" "$SUDOERS" && rm -f "$tmp"
}

write_net_json() {
  local n=$1; shift
  local modes=("$@") hosts='[]' i mode fp
  for i in $(seq 1 "$n"); do
    mode=${modes[$((i - 1))]}
    read -r _ fp _ _ < <(ssh-keygen -lf "$(host_dir "$i")/ssh_host_ed25519_key.pub")
    hosts=$(jq -c --arg name "lab-h$i" --arg ns "$(host_ns "$i")" --arg address "$(host_addr "$i")" \
      --arg mode "$mode" --arg fp "$fp" --arg poolPath "$(host_dir "$i")/pool" \
      --arg v4 "$( [ "$mode" = routed ] && routed_v4 "$i" || echo "$BRIDGED_V4")" \
      --arg v6 "$( [ "$mode" = routed ] && routed_v6 "$i" || echo "$BRIDGED_V6")" \
      --arg gw4 "$( [ "$mode" = routed ] && echo "" || echo "$BRIDGED_GW4")" \
      --arg gw6 "$( [ "$mode" = routed ] && echo "" || echo "$BRIDGED_GW6")" \
      --arg uplink "$( [ "$mode" = routed ] && echo uplink || echo "")" \
      --arg bridge "$( [ "$mode" = bridged ] && echo br0 || echo "")" \
      '. + [{name:$name, netns:$ns, address:$address, port:22, mode:$mode, hostKeyFingerprint:$fp,
             pool:"skjold-nvme", poolPath:$poolPath, uplink:(if $uplink=="" then null else $uplink end),
             bridge:(if $bridge=="" then null else $bridge end),
             ipv4:{cidr:$v4, gateway:(if $gw4=="" then null else $gw4 end)},
             ipv6:{cidr:$v6, gateway:(if $gw6=="" then null else $gw6 end)}}]' <<<"$hosts")
  done
  jq -n --argjson hosts "$hosts" --arg user "$LAB_USER" --arg key "$CLIENT_KEY" \
    '{username:$user, privateKeyPath:$key, hosts:$hosts, dns:["203.0.113.233"],
      portal:{netns:null, ipv4:"203.0.113.234", ipv6:"2001:db8:0:1::2"},
      client:{netns:"skjlab-client", ipv4:"203.0.113.242", ipv6:"2001:db8:0:c::2"},
      upstream:{netns:"skjlab-up", ipv4:"203.0.113.233", ipv6:"2001:db8:0:1::1"}}' >"$NET_JSON.tmp"
  mv "$NET_JSON.tmp" "$NET_JSON" && chmod 644 "$NET_JSON"
}

# Copies the built base image into every namespaced host's pool (scripts/build-guest-image calls it).
net_distribute_image() {
  local src=$1 volume=$2 sha=$3 i d
  [ -f "$NET_JSON" ] || return 0
  for i in $(seq 1 "$(jq '.hosts|length' "$NET_JSON")"); do
    d=$(host_dir "$i")
    host_daemons_up "$i" || continue
    if [ ! -f "$d/pool/$volume" ] || [ "$(sha256sum "$d/pool/$volume" | cut -d' ' -f1)" != "$sha" ]; then
      cp --sparse=always "$src" "$d/pool/$volume.part" && chmod 644 "$d/pool/$volume.part" && mv "$d/pool/$volume.part" "$d/pool/$volume"
    fi
    host_virsh "$i" pool-refresh "$POOL" >/dev/null
  done
}

cmd_net_up() {
  local n=$1; shift
  local modes=("$@") i
  [ "$n" -ge 1 ] && [ "$n" -le 4 ] || die "--hosts takes 1 to 4"
  ensure_sudoers
  net_upstream
  for i in $(seq 1 "$n"); do
    net_host_links "$i" "${modes[$((i - 1))]}"
    net_host_daemons "$i"
    net_host_pool "$i"
  done
  write_net_json "$n" "${modes[@]}"
  say "network lab: $n host(s) ($(IFS=,; echo "${modes[*]:0:$n}")), facts in $NET_JSON"
}

cmd_net_down() {
  local i d dom
  for i in 1 2 3 4; do
    d=$(host_dir "$i")
    if pid_alive "$d/libvirtd.pid"; then
      for dom in $(host_virsh "$i" list --all --name 2>/dev/null); do
        host_virsh "$i" destroy "$dom" >/dev/null 2>&1 || true
        host_virsh "$i" undefine "$dom" --remove-all-storage >/dev/null 2>&1 || host_virsh "$i" undefine "$dom" >/dev/null 2>&1 || true
      done
    fi
    for f in sshd libvirtd virtlogd; do pid_alive "$d/$f.pid" && kill "$(cat "$d/$f.pid")"; rm -f "$d/$f.pid"; done
    ns_exists "$(host_ns "$i")" && ip netns del "$(host_ns "$i")"
    rm -rf "$d"
  done
  for ns in "$NET_CLIENT" "$NET_UP"; do ns_exists "$ns" && ip netns del "$ns"; done
  ip link del "$NET_ROOT_IF" 2>/dev/null || true
  ip route del 203.0.113.128/26 2>/dev/null || true
  ip route del "$BRIDGED_V4" 2>/dev/null || true
  ip -6 route del 2001:db8:1000::/36 2>/dev/null || true
  rm -f "$NET_JSON" "$SUDOERS"
  # The unreachable safety routes stay: they cost nothing and protect later labs too.
  say "network lab removed"
}

net_status() {
  [ -f "$NET_JSON" ] || return 0
  local i n; n=$(jq '.hosts|length' "$NET_JSON")
  for i in $(seq 1 "$n"); do
    report "lab-h$i ($(jq -r ".hosts[$((i - 1))].mode" "$NET_JSON")) daemons in $(host_ns "$i")" "host_daemons_up $i"
    report "lab-h$i sshd on $(host_addr "$i"):22" "in_ns $(host_ns "$i") nc -z $(host_addr "$i") 22"
  done
  report "client namespace reaches the upstream" "in_ns $NET_CLIENT ping -c1 -W2 203.0.113.241 >/dev/null"
  report "root namespace: lab prefixes unreachable by default" "ip route show $LAB_PREFIX_V4 | grep -q unreachable"
}
