# Shared settings for the cluster scripts. Sourced, never run.
set -euo pipefail
CLUSTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$CLUSTER_DIR")"
# shellcheck source=versions.env
source "$CLUSTER_DIR/versions.env"

# Build cache: outside the repo, kept by cluster:down, keyed by version below it.
MC_CACHE="${MODEL_CANARY_CACHE:-/var/cache/model-canary}"
# Runtime state of a running cluster: certs, data, pids, logs. Removed by cluster:down except logs.
MC_STATE="${MODEL_CANARY_STATE:-/var/lib/model-canary}"
MC_RUN="$MC_STATE/run"
MC_LOGS="$MC_STATE/logs"
# The one fixed, documented place the admin kubeconfig is written to.
MC_KUBECONFIG="${MODEL_CANARY_KUBECONFIG:-/var/lib/model-canary/kubeconfig}"

export GOCACHE="$MC_CACHE/go-build"
export GOMODCACHE="$MC_CACHE/go-mod"
export GOFLAGS="-mod=mod"
export CGO_ENABLED=0

bin_dir() { echo "$MC_CACHE/bin/$1-$2"; }   # bin_dir component version

# timed NAME FUNCTION: the build's time goes to the log ("NAME built in Ns") and build-times.tsv; a
# failure names the script to run again.
timed() {
  local name="$1" start=$SECONDS
  "$2" || die "building $name failed (see above); rerun cluster/$(basename "$0") build after fixing"
  if (( SECONDS - start > 1 )); then
    log "$name built in $((SECONDS - start))s"
    mkdir -p "$MC_CACHE"
    printf '%s\t%s\t%s\n' "$name" "$((SECONDS - start))" "$(date -u +%FT%TZ)" >> "$MC_CACHE/build-times.tsv"
  fi
}
log() { printf '[cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[cluster] error: %s\n' "$*" >&2; exit 1; }

# Addresses of the local cluster. The node's address lives on a bridge this cluster creates, so nothing
# here ever talks to an address outside this machine.
NODE_NAME="model-canary-node"
NODE_IP="10.244.0.1"
POD_CIDR="10.244.0.0/24"
SERVICE_CIDR="10.96.0.0/24"
KUBERNETES_SERVICE_IP="10.96.0.1"
DNS_SERVICE_IP="10.96.0.10"
BRIDGE="mcbr0"
REGISTRY_ADDR="127.0.0.1:5000"
APISERVER_URL="https://$NODE_IP:6443"
CONTAINERD_SOCK="/run/model-canary/containerd/containerd.sock"
CONTAINERD_STATE="/run/model-canary/containerd"
# Metrics (cluster/metrics.sh): Prometheus listens on loopback only; metrics-server and the custom metrics
# adapter on the node address, where the API server's aggregator reaches them (an Endpoints address may
# not be a loopback one).
METRICS_NAMESPACE="model-canary-metrics"
PROMETHEUS_PORT=19090
PROMETHEUS_URL="http://127.0.0.1:$PROMETHEUS_PORT"
METRICS_SERVER_PORT=10270
METRICS_ADAPTER_PORT=10271
# KServe (cluster/kserve.sh): the controller's webhook server on the node address, where the API server calls
# it; its metrics and health probe on loopback only. InferenceServices get the hosts
# <name>-<namespace>.$KSERVE_INGRESS_DOMAIN on the Gateway of cluster/gateway.sh.
KSERVE_NAMESPACE="kserve"
KSERVE_WEBHOOK_PORT=10272
KSERVE_METRICS_PORT=10273
KSERVE_PROBE_PORT=10274
KSERVE_INGRESS_DOMAIN="kserve.test"

K8S_BIN="$(bin_dir kubernetes "$KUBERNETES_VERSION")"
# The pinned kubectl the cluster build leaves, or the one on PATH (your own cluster, no build cache).
kubectl_admin() { local k="$K8S_BIN/kubectl"; [[ -x "$k" ]] || k=kubectl; "$k" --kubeconfig "$MC_KUBECONFIG" "$@"; }

pid_file() { echo "$MC_RUN/$1.pid"; }
is_running() { # component
  local f; f="$(pid_file "$1")"
  [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null
}
