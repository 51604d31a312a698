#!/usr/bin/env bash
# Flagger (github.com/fluxcd/flagger at FLAGGER_VERSION in bench/peers/versions.env) on the local cluster, for
# the peer benchmark (bench/peers/flagger.bench-run.ts): built with Go from the module proxy once into
# $MODEL_CANARY_CACHE/peers/flagger-<version>/ (the flagger command only), its CRDs installed from the module's
# source, and the controller run on the node as a process, like Traefik, with the cluster's admin kubeconfig,
# its Gateway API provider (gatewayapi:v1, through Traefik) and the cluster's Prometheus.
#
# Usage: bench/peers/flagger.sh [build|up|down|status]
#   build   build Flagger only (a cached build is kept; prints the binary's path)
#   up      build if needed, install the CRDs, start Flagger, wait for /healthz. Idempotent.
#   down    stop Flagger (by its pid file, checked against /proc) and delete its CRDs (and with them every
#           Canary, MetricTemplate and AlertProvider left). Nothing else of Flagger is on the cluster: run as
#           a process with the admin kubeconfig it needs no ServiceAccount, ClusterRole or namespace.
#   status  says whether Flagger runs
# Not run by CI, and not by cluster:up or cluster:down: the bench starts and stops it.
PEERS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The cluster's settings (cache and state folders, GOMODCACHE/GOCACHE in the cache, kubectl_admin, ports).
# shellcheck source=../../cluster/lib.sh
source "$PEERS_DIR/../../cluster/lib.sh"
# shellcheck source=versions.env
source "$PEERS_DIR/versions.env"

FLAGGER_DIR="$MC_CACHE/peers/flagger-$FLAGGER_VERSION"
FLAGGER_BIN="$FLAGGER_DIR/flagger"
# Flagger's own HTTP server (/healthz, /metrics); it listens on every address, so a port nothing else uses.
FLAGGER_PORT="${MODEL_CANARY_FLAGGER_PORT:-18095}"
# The pid file lives in /run (gone at a reboot, so a stale pid cannot outlive one); the log beside the
# cluster's logs.
FLAGGER_RUN="/run/model-canary-peers"
FLAGGER_PID="$FLAGGER_RUN/flagger.pid"
FLAGGER_LOG="$MC_LOGS/flagger.log"

plog() { printf '[peers %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

module_dir() {
  local dir
  dir="$(go mod download -json "github.com/fluxcd/flagger@$FLAGGER_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  [[ -n "$dir" && -d "$dir" ]] || die "downloading github.com/fluxcd/flagger $FLAGGER_VERSION from the Go module proxy failed (see above)"
  echo "$dir"
}

build_flagger() {
  if [[ -f "$FLAGGER_DIR/.complete" ]]; then echo "$FLAGGER_BIN"; return 0; fi
  plog "building flagger $FLAGGER_VERSION (first time only)"
  local start=$SECONDS
  mkdir -p "$FLAGGER_DIR"
  # The module has no replace directives, so `go install module/cmd@version` builds it as published.
  GOBIN="$FLAGGER_DIR" go install -trimpath -ldflags "-s -w" "github.com/fluxcd/flagger/cmd/flagger@$FLAGGER_VERSION" \
    || die "building flagger $FLAGGER_VERSION failed (see above); rerun bench/peers/flagger.sh build"
  touch "$FLAGGER_DIR/.complete"
  plog "flagger built in $((SECONDS - start))s"
  printf '%s\t%s\t%s\n' "flagger-$FLAGGER_VERSION" "$((SECONDS - start))" "$(date -u +%FT%TZ)" >> "$MC_CACHE/peers/build-times.tsv"
  echo "$FLAGGER_BIN"
}

crd_file() { echo "$(module_dir)/artifacts/flagger/crd.yaml"; }

# The pid in the pid file when it is a Flagger started from this cache, else nothing.
running_pid() {
  [[ -f "$FLAGGER_PID" ]] || return 0
  local pid; pid="$(cat "$FLAGGER_PID")"
  if [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF "$FLAGGER_BIN"; then echo "$pid"; fi
}

flagger_up() {
  build_flagger >/dev/null
  bash "$REPO_DIR/cluster/status.sh" --quiet || die "the cluster is not up; run npm run cluster:up first"
  local crds; crds="$(crd_file)"
  kubectl_admin apply --server-side --force-conflicts --field-manager=model-canary-peers -f "$crds" >/dev/null \
    || die "installing Flagger's CRDs failed (see above)"
  kubectl_admin wait --for=condition=Established --timeout=60s \
    crd/canaries.flagger.app crd/metrictemplates.flagger.app crd/alertproviders.flagger.app >/dev/null \
    || die "Flagger's CRDs were not established within 60s"
  if [[ -n "$(running_pid)" ]]; then plog "flagger already runs (pid $(running_pid))"; return 0; fi
  mkdir -p "$FLAGGER_RUN" "$MC_LOGS"
  # The gatewayapi:v1 provider writes HTTPRoutes (gateway.networking.k8s.io/v1) with the Canary's
  # gatewayRefs; Traefik routes them. Metrics come from the cluster's Prometheus (loopback).
  setsid "$FLAGGER_BIN" \
    -kubeconfig="$MC_KUBECONFIG" \
    -mesh-provider=gatewayapi:v1 \
    -metrics-server="$PROMETHEUS_URL" \
    -port="$FLAGGER_PORT" \
    -log-level=info -zap-encoding=console \
    -enable-leader-election=false \
    >> "$FLAGGER_LOG" 2>&1 < /dev/null &
  echo $! > "$FLAGGER_PID"
  local i
  for i in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$FLAGGER_PORT/healthz" >/dev/null 2>&1 && break
    kill -0 "$(cat "$FLAGGER_PID")" 2>/dev/null || { tail -n 20 "$FLAGGER_LOG" >&2; rm -f "$FLAGGER_PID"; die "flagger exited at start (log: $FLAGGER_LOG)"; }
    sleep 0.2
    [[ $i == 100 ]] && { tail -n 20 "$FLAGGER_LOG" >&2; die "flagger did not answer /healthz within 20s (log: $FLAGGER_LOG)"; }
  done
  plog "flagger $FLAGGER_VERSION up (pid $(cat "$FLAGGER_PID"), gatewayapi:v1, Prometheus $PROMETHEUS_URL, log $FLAGGER_LOG)"
}

flagger_stop() {
  local pid; pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    plog "flagger stopped (pid $pid)"
  fi
  rm -f "$FLAGGER_PID"
  rmdir "$FLAGGER_RUN" 2>/dev/null || true
}

flagger_down() {
  flagger_stop
  # Only when the cluster answers: after a cluster:down there is nothing to delete.
  if bash "$REPO_DIR/cluster/status.sh" --quiet 2>/dev/null; then
    # Flagger is stopped: a Canary still carrying its finalizer would hold the CRD's deletion, so drop them.
    local c
    for c in $(kubectl_admin get canaries.flagger.app -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}{"\n"}{end}' 2>/dev/null || true); do
      kubectl_admin -n "${c%%/*}" patch canary "${c##*/}" --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null 2>&1 || true
    done
    kubectl_admin delete --ignore-not-found --wait=true --timeout=60s -f "$(crd_file)" >/dev/null \
      || die "deleting Flagger's CRDs failed (see above)"
    plog "flagger's CRDs deleted"
  fi
}

case "${1:-up}" in
  build) build_flagger ;;
  up) flagger_up ;;
  down) flagger_down ;;
  stop) flagger_stop ;;
  status) if [[ -n "$(running_pid)" ]]; then echo "flagger runs (pid $(running_pid))"; else echo "flagger is not running"; exit 1; fi ;;
  *) die "usage: bench/peers/flagger.sh [build|up|down|stop|status]" ;;
esac
