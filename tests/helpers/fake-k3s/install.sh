#!/bin/sh
# TEST-ONLY STAND-IN for k3s's install.sh: records the environment it was invoked with, then does
# what the real installer leaves behind (service unit, kubeconfig at mode 600, running server).
set -eu
env | grep -E '^(INSTALL_K3S_|K3S_URL)' | sort > /var/log/fake-k3s-install.env
[ -x /usr/local/bin/k3s ] || { echo "k3s binary missing" >&2; exit 1; }
mkdir -p /etc/systemd/system /etc/rancher/k3s
printf '[Service]\nExecStart=/usr/local/bin/k3s server\n' > /etc/systemd/system/k3s.service
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
nohup /usr/local/bin/k3s server >/dev/null 2>&1 &
