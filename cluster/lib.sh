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
log() { printf '[cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[cluster] error: %s\n' "$*" >&2; exit 1; }
