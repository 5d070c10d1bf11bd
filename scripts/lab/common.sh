# Shared helpers of scripts/lab-host and scripts/build-guest-image (sourced, not run).
# Expects LAB_DIR, POOL, SSHD_PID, LIBVIRTD_CONF from the caller.

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
libvirtd_running() { pid_alive /run/libvirtd.pid; }
virtlogd_running() { pid_alive /run/virtlogd.pid; }
sshd_running() { pid_alive "$SSHD_PID"; }
pool_state() { virsh -q -c qemu:///system pool-info "$POOL" 2>/dev/null | awk '$1=="State:"{print $2}'; }

fix_kvm_perms() {
  [ -e /dev/kvm ] || return 0
  chgrp kvm /dev/kvm && chmod 660 /dev/kvm
}

# Starts virtlogd and libvirtd (no systemd here). A libvirtd started without the lab's config (socket
# not group libvirt) is restarted with it.
start_libvirt() {
  virtlogd_running || virtlogd -d || { echo "lab-host: virtlogd did not start" >&2; return 1; }
  if libvirtd_running && [ "$(stat -c %G /run/libvirt/libvirt-sock 2>/dev/null)" != libvirt ]; then
    kill "$(cat /run/libvirtd.pid)"
    for _ in $(seq 50); do libvirtd_running || break; sleep 0.1; done
  fi
  libvirtd_running || libvirtd -d -f "$LIBVIRTD_CONF" || { echo "lab-host: libvirtd did not start" >&2; return 1; }
  for _ in $(seq 100); do
    virsh -q -c qemu:///system version >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "lab-host: libvirtd is not answering on qemu:///system" >&2
  return 1
}

# Destroys and undefines every domain with a disk in the lab pool, with that storage.
remove_lab_domains() {
  local pool_dir=$LAB_DIR/pool dom
  virsh -q -c qemu:///system list --all --name 2>/dev/null | while read -r dom; do
    [ -n "$dom" ] || continue
    if virsh -q -c qemu:///system domblklist "$dom" 2>/dev/null | grep -q "$pool_dir/"; then
      virsh -q -c qemu:///system destroy "$dom" >/dev/null 2>&1 || true
      virsh -q -c qemu:///system undefine "$dom" --nvram --remove-all-storage >/dev/null 2>&1 \
        || virsh -q -c qemu:///system undefine "$dom" >/dev/null 2>&1 || true
      echo "lab-host: removed domain $dom"
    fi
  done
}
