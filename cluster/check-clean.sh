#!/usr/bin/env bash
# After cluster:down: fails when anything of the cluster is left — a process started from the build cache,
# a mount under the cluster's folders, a file in its state folder but the logs, a listener on an add-on's
# port, its bridge or a veth, or an iptables rule or chain it made.
source "$(dirname "$0")/lib.sh"
left=()
for cmdline in /proc/[0-9]*/cmdline; do
  text="$(tr '\0' ' ' < "$cmdline" 2>/dev/null || true)"
  [[ "$text" == "$MC_CACHE/bin/"* || "$text" == *"-address $CONTAINERD_SOCK"* ]] && left+=("process ${cmdline#/proc/}: ${text:0:120}")
done
while read -r _ mnt _; do
  [[ "$mnt" == "$MC_STATE"* || "$mnt" == /run/model-canary* ]] && left+=("mount $mnt")
done < /proc/self/mounts
ip link show "$BRIDGE" >/dev/null 2>&1 && left+=("network device $BRIDGE")
# Files: only the logs folder may stay in the state folder (Prometheus' data, the metrics kubeconfigs, ...).
while read -r f; do left+=("file $f"); done < <(find "$MC_STATE" -mindepth 1 -maxdepth 1 ! -name logs 2>/dev/null || true)
# Listeners on the fixed ports of the add-ons (Traefik, Prometheus, metrics-server, the metrics adapter,
# the KServe controller's webhooks, metrics and health probe).
for port in 18080 18081 "$PROMETHEUS_PORT" "$METRICS_SERVER_PORT" "$METRICS_ADAPTER_PORT" \
  "$KSERVE_WEBHOOK_PORT" "$KSERVE_METRICS_PORT" "$KSERVE_PROBE_PORT"; do
  ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && left+=("a listener on port $port")
done
for table in nat filter mangle; do
  while read -r rule; do left+=("iptables -t $table: $rule"); done < <(iptables -t "$table" -S 2>/dev/null | grep -E 'KUBE-|CNI-|model-canary' || true)
done
if [[ ${#left[@]} -gt 0 ]]; then
  printf 'left behind by the cluster:\n' >&2; printf '  %s\n' "${left[@]}" >&2; exit 1
fi
echo "cluster:down left no process, mount, state file, listener, network device or iptables rule of the cluster"
