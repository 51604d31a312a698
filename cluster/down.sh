#!/usr/bin/env bash
# Stops everything cluster:up started (by pid file), unmounts what it mounted, removes its network
# devices and iptables rules, and deletes the cluster's state. Keeps the build cache and the logs.
source "$(dirname "$0")/lib.sh"
[[ $EUID -eq 0 ]] || die "cluster:down must run as root"

stop_pid() { # name pid
  local name="$1" pid="$2"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  log "$name (pid $pid) ignored SIGTERM; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}
# A pid file can outlive its process (the machine restarted, the pid was reused): act on a pid only when
# /proc says it is still the process we started.
ours() { # pid what: what is a path in its command line, or "pod" for a container's process
  local pid="$1" what="$2"
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  if [[ "$what" == pod ]]; then grep -q kubepods "/proc/$pid/cgroup" 2>/dev/null
  else tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF "$what"
  fi
}
stop_component() {
  local f; f="$(pid_file "$1")"
  [[ -f "$f" ]] || return 0
  local pid; pid="$(cat "$f")"
  local what="$1"; [[ "$1" == dockerd ]] && what=/usr/sbin/dockerd
  if ours "$pid" "$what"; then stop_pid "$1" "$pid"; fi
  rm -f "$f"
}

# 1. The kubelet first, so it does not restart what we remove next.
stop_component kubelet
# 2. Every pod sandbox and container, through containerd, so CNI tears down their network.
if is_running containerd && [[ -S "$CONTAINERD_SOCK" ]]; then
  CTR="$(bin_dir containerd "$CONTAINERD_VERSION")/ctr"
  for task in $("$CTR" -a "$CONTAINERD_SOCK" -n k8s.io tasks ls -q 2>/dev/null); do
    "$CTR" -a "$CONTAINERD_SOCK" -n k8s.io tasks kill -s SIGKILL "$task" >/dev/null 2>&1 || true
  done
fi
# 3. Containerd's shims survive containerd itself: stop them by the pid files containerd wrote.
stop_component containerd
for f in "$CONTAINERD_STATE"/io.containerd.runtime.v2.task/*/*/init.pid; do
  [[ -f "$f" ]] && ours "$(cat "$f")" pod && stop_pid "container $(basename "$(dirname "$f")")" "$(cat "$f")"
done
for f in "$CONTAINERD_STATE"/io.containerd.runtime.v2.task/*/*/shim.pid; do
  [[ -f "$f" ]] && ours "$(cat "$f")" containerd-shim-runc-v2 && stop_pid "shim $(basename "$(dirname "$f")")" "$(cat "$f")"
done
# A shim whose task never finished starting has no pid file yet; it still names our containerd's socket.
for cmdline in /proc/[0-9]*/cmdline; do
  pid="${cmdline#/proc/}"; pid="${pid%/cmdline}"
  tr '\0' ' ' < "$cmdline" 2>/dev/null | grep -qF -- "-address $CONTAINERD_SOCK" && stop_pid "shim (pid $pid)" "$pid"
done
# 4. kube-proxy's iptables rules, then the rest of the control plane, the registry and dockerd.
stop_component kube-proxy
"$K8S_BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true
# kserve: the KServe controller cluster/kserve.sh starts; traefik: the Gateway API controller
# cluster/gateway.sh starts; prometheus, metrics-server and metrics-adapter: what cluster/metrics.sh starts.
for c in kserve metrics-adapter metrics-server prometheus traefik kube-scheduler kube-controller-manager kube-apiserver etcd registry dockerd; do stop_component "$c"; done

# 5. Mounts under our folders, deepest first.
for dir in "$MC_STATE" /run/model-canary; do
  awk -v d="$dir" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/self/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "could not unmount $m"
  done
done
# 6. Network: pod veths on our bridge, the bridge, and CNI's port-map chains.
if ip link show "$BRIDGE" >/dev/null 2>&1; then
  for veth in $(ip -o link show master "$BRIDGE" | awk -F': ' '{print $2}' | cut -d@ -f1); do ip link del "$veth" 2>/dev/null || true; done
  ip link del "$BRIDGE"
fi
for chain in $(iptables -t nat -S 2>/dev/null | awk '/^-N CNI-/{print $2}'); do
  iptables -t nat -F "$chain" 2>/dev/null || true
done
{ iptables -t nat -S 2>/dev/null | grep -E '^-A .* -j CNI-' || true; } | sed 's/^-A/-D/' | while read -r rule; do
  # shellcheck disable=SC2086
  iptables -t nat $rule 2>/dev/null || true
done
for chain in $(iptables -t nat -S 2>/dev/null | awk '/^-N CNI-/{print $2}'); do iptables -t nat -X "$chain" 2>/dev/null || true; done

while iptables -D FORWARD -i "$BRIDGE" ! -o "$BRIDGE" -m comment --comment model-canary -j DROP 2>/dev/null; do :; done
# What is left of the KUBE-* chains (kube-proxy --cleanup removes its own; the kubelet's firewall and
# canary chains stay): unhook them from the built-in chains, flush and delete them.
for table in nat filter mangle; do
  { iptables -t "$table" -S 2>/dev/null | grep -E '^-A (INPUT|OUTPUT|FORWARD|PREROUTING|POSTROUTING) .*-j KUBE-' || true; } \
    | sed 's/^-A/-D/' | while read -r rule; do
      # shellcheck disable=SC2086
      iptables -t "$table" $rule 2>/dev/null || true
    done
  for chain in $(iptables -t "$table" -S 2>/dev/null | awk '/^-N KUBE-/{print $2}'); do iptables -t "$table" -F "$chain" 2>/dev/null || true; done
  for chain in $(iptables -t "$table" -S 2>/dev/null | awk '/^-N KUBE-/{print $2}'); do iptables -t "$table" -X "$chain" 2>/dev/null || true; done
done

# 7. State (certs, etcd data, pods); keep logs and the build cache.
find "$MC_STATE" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf {} + 2>/dev/null || true
rm -rf /run/model-canary
log "cluster down; build cache kept in $MC_CACHE, logs in $MC_LOGS"
