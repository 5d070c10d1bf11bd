import { DaemonSet } from "kubernetes-models/apps/v1";
import { ConfigMap, ServiceAccount } from "kubernetes-models/v1";
import { stringify } from "yaml";

// Runtime defence (seed §3). The rules are self-contained (raw fields, no macros from the default
// rule set) so they keep working whatever rule files the image ships.
const FALCO_RULES = [
  {
    rule: "Terminal shell in container",
    desc: "A shell was started in a container with an attached terminal.",
    condition:
      "evt.type in (execve, execveat) and evt.dir=< and container.id != host and proc.name in (ash, bash, csh, dash, ksh, sh, tcsh, zsh) and proc.tty != 0",
    output:
      "Shell spawned in a container with a terminal (user=%user.name container=%container.id image=%container.image.repository shell=%proc.name parent=%proc.pname cmdline=%proc.cmdline)",
    priority: "NOTICE",
    tags: ["container", "shell", "skjold"],
  },
  {
    rule: "Write below etc",
    desc: "A file below /etc was opened for writing inside a container.",
    condition: "evt.type in (open, openat, openat2) and evt.is_open_write=true and fd.name startswith /etc/ and container.id != host",
    output:
      "File below /etc opened for writing in a container (user=%user.name file=%fd.name container=%container.id image=%container.image.repository cmdline=%proc.cmdline)",
    priority: "ERROR",
    tags: ["container", "filesystem", "skjold"],
  },
];

const FALCO_CONFIG = {
  engine: { kind: "modern_ebpf" },
  rules_files: ["/etc/falco/falco_rules.yaml", "/etc/falco/rules.d"],
  json_output: true,
  stdout_output: { enabled: true },
  priority: "notice",
};

export function falcoManifests(image: string): [ServiceAccount, ConfigMap, DaemonSet] {
  const labels = { "app.kubernetes.io/name": "falco" };
  const hostPath = (name: string, path: string) => ({ name, hostPath: { path } });
  return [
    new ServiceAccount({ metadata: { name: "falco", namespace: "falco" }, automountServiceAccountToken: false }),
    new ConfigMap({
      metadata: { name: "falco-config", namespace: "falco" },
      data: { "falco.yaml": stringify(FALCO_CONFIG), "skjold_rules.yaml": stringify(FALCO_RULES) },
    }),
    new DaemonSet({
      metadata: { name: "falco", namespace: "falco", labels },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: "falco",
            tolerations: [{ operator: "Exists" }],
            containers: [
              {
                name: "falco",
                image,
                args: ["/usr/bin/falco", "-c", "/etc/falco-skjold/falco.yaml"],
                env: [{ name: "HOST_ROOT", value: "/host" }],
                // modern eBPF needs the host's kernel interfaces: the one privileged pod, in its own namespace.
                securityContext: { privileged: true, readOnlyRootFilesystem: true },
                resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
                volumeMounts: [
                  { name: "config", mountPath: "/etc/falco-skjold", readOnly: true },
                  { name: "rules", mountPath: "/etc/falco/rules.d", readOnly: true },
                  { name: "proc", mountPath: "/host/proc", readOnly: true },
                  { name: "etc", mountPath: "/host/etc", readOnly: true },
                  { name: "containerd", mountPath: "/host/run/containerd/containerd.sock" },
                ],
              },
            ],
            volumes: [
              { name: "config", configMap: { name: "falco-config", items: [{ key: "falco.yaml", path: "falco.yaml" }] } },
              { name: "rules", configMap: { name: "falco-config", items: [{ key: "skjold_rules.yaml", path: "skjold_rules.yaml" }] } },
              hostPath("proc", "/proc"),
              hostPath("etc", "/etc"),
              hostPath("containerd", "/run/k3s/containerd/containerd.sock"),
            ],
          },
        },
      },
    }),
  ];
}
