#!/usr/bin/env bash
# Restarts the running cluster's kube-apiserver with the command line it was started with, after it was
# down for DOWN_SECONDS (default 5). For tests of what a run does when the API server goes away.
# With --new-flags it starts with the command line cluster/up.sh would use now instead (after a change to
# its flags in start-lib.sh, e.g. the aggregation layer's, on a cluster started before it).
# Usage: restart-apiserver.sh [DOWN_SECONDS] [--new-flags]
source "$(dirname "$0")/lib.sh"
source "$CLUSTER_DIR/start-lib.sh"
[[ $EUID -eq 0 ]] || die "restarting the API server must run as root"
new_flags=false
args=()
for a in "$@"; do
  if [[ "$a" == --new-flags ]]; then new_flags=true; else args+=("$a"); fi
done
down_seconds="${args[0]:-5}"
[[ "$down_seconds" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "DOWN_SECONDS must be a number of seconds, not '$down_seconds'"

is_running kube-apiserver || die "kube-apiserver is not running: start the cluster with npm run cluster:up"
pid="$(cat "$(pid_file kube-apiserver)")"
mapfile -d '' argv < "/proc/$pid/cmdline"
[[ "${argv[0]:-}" == "$K8S_BIN/kube-apiserver" ]] || die "pid $pid is not this cluster's kube-apiserver"

log "stopping kube-apiserver (pid $pid) for ${down_seconds}s"
kill -TERM "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
rm -f "$(pid_file kube-apiserver)"
sleep "$down_seconds"

if $new_flags; then apiserver_command; argv=("${APISERVER_CMD[@]}"); fi
start kube-apiserver "${argv[@]}"
wait_for kube-apiserver 90 curl -sf --cacert "$MC_STATE/pki/ca.crt" "$APISERVER_URL/readyz"
log "kube-apiserver is back (pid $(cat "$(pid_file kube-apiserver)"))"
