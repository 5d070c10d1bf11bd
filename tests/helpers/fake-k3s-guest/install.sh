#!/bin/sh
# TEST-ONLY STAND-IN for k3s's install.sh on a BOOTED lab guest with real systemd: records the
# environment it was invoked with, then leaves behind what the real installer does (a k3s.service
# unit started by systemd, the admin kubeconfig at mode 600). Never shipped with the product.
set -eu
env | grep -E '^(INSTALL_K3S_|K3S_URL)' | sort > /var/log/fake-k3s-install.env
[ -x /usr/local/bin/k3s ] || { echo "k3s binary missing" >&2; exit 1; }
mkdir -p /etc/rancher/k3s
cat > /etc/systemd/system/k3s.service <<'UNIT'
[Unit]
Description=TEST-ONLY k3s stand-in
[Service]
ExecStart=/usr/local/bin/k3s server
Restart=always
[Install]
WantedBy=multi-user.target
UNIT
umask 077
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
