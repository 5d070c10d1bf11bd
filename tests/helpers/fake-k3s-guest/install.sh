#!/bin/sh
# TEST-ONLY STAND-IN for k3s's install.sh on a BOOTED lab guest with real systemd: records the
# environment it was invoked with, then leaves behind what the real installer does. Server: a
# k3s.service unit started by systemd, the admin kubeconfig at mode 600, and the node token that
# k3s writes at /var/lib/rancher/k3s/server/node-token (mode 600). Agent: a k3s-agent.service unit
# whose environment file holds K3S_URL and K3S_TOKEN at mode 600, as the real installer writes it.
# It also records the process list while it runs, so a test can prove no secret was in an argv.
# Never shipped with the product.
set -eu
umask 077
env | grep -E '^(INSTALL_K3S_|K3S_URL)' | sort > /var/log/fake-k3s-install.env
for p in /proc/[0-9]*; do tr '\0' ' ' < "$p/cmdline" 2>/dev/null || true; echo; done > /var/log/fake-k3s-install.ps
[ -x /usr/local/bin/k3s ] || { echo "k3s binary missing" >&2; exit 1; }
if [ "${INSTALL_K3S_EXEC:-server}" = agent ]; then
  [ -n "${K3S_URL:-}" ] && [ -n "${K3S_TOKEN:-}" ] || { echo "an agent needs K3S_URL and K3S_TOKEN" >&2; exit 1; }
  printf 'K3S_URL=%s\nK3S_TOKEN=%s\n' "$K3S_URL" "$K3S_TOKEN" > /etc/systemd/system/k3s-agent.service.env
  cat > /etc/systemd/system/k3s-agent.service <<'UNIT'
[Unit]
Description=TEST-ONLY k3s agent stand-in
[Service]
EnvironmentFile=-/etc/systemd/system/k3s-agent.service.env
ExecStart=/usr/local/bin/k3s agent
Restart=always
[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload
  systemctl enable --now k3s-agent.service
  exit 0
fi
mkdir -p /etc/rancher/k3s /var/lib/rancher/k3s/server
[ -s /var/lib/rancher/k3s/server/node-token ] || printf 'K10%s::server:%s\n' "$(head -c 32 /dev/urandom | sha256sum | cut -c1-64)" "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" > /var/lib/rancher/k3s/server/node-token
cat > /etc/systemd/system/k3s.service <<'UNIT'
[Unit]
Description=TEST-ONLY k3s stand-in
[Service]
ExecStart=/usr/local/bin/k3s server
Restart=always
[Install]
WantedBy=multi-user.target
UNIT
cat > /etc/rancher/k3s/k3s.yaml <<'YAML'
apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: RkFLRQ==
    server: https://127.0.0.1:6443
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    client-certificate-data: RkFLRQ==
    client-key-data: RkFLRQ==
YAML
chmod 600 /etc/rancher/k3s/k3s.yaml
systemctl daemon-reload
systemctl enable --now k3s.service
