#!/usr/bin/env bash
# npm run demo: releases the example model three times with the CLI, exactly as the action would: v1 (first
# deploy), v2 (canary, smoked, promoted), and a build of v2 that crashes at start (caught by the readiness
# gate, rolled back). Ends with `status`.
#
# On the embedded cluster (the default): brings it up if needed (as root) and uses its registry and tools.
# On your own cluster: name it, and nothing of cluster/ runs:
#   MODEL_CANARY_CONTEXT     the kubeconfig context (of $KUBECONFIG, or ~/.kube/config)
#   MODEL_CANARY_REGISTRY    a registry this machine pushes to and the cluster pulls from (kind's local
#                            registry: localhost:5001)
#   MODEL_CANARY_NAMESPACE   an existing namespace to release into (default: model-canary-demo, created
#                            if the context may create namespaces)
#   MODEL_CANARY_BASE_IMAGE  the example's base image (default: the Dockerfile's own, a public Python image
#                            the build installs the example's packages into)
# docker, kubectl, helm and jq must be on PATH; trivy too, or the demo runs with scan.enabled=false.
set -euo pipefail
cd "$(dirname "$0")/.."
banner() { printf '\n\033[1m### %s\033[0m\n' "$*" >&2; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

NS="${MODEL_CANARY_NAMESPACE:-model-canary-demo}"
sets=(--set scan.ignoreFile=examples/iris/demo.trivyignore --set scan.ignoreUnfixed=true)

if [[ -n "${MODEL_CANARY_CONTEXT:-}${MODEL_CANARY_REGISTRY:-}" ]]; then
  [[ -n "${MODEL_CANARY_CONTEXT:-}" && -n "${MODEL_CANARY_REGISTRY:-}" ]] \
    || die "your own cluster needs both MODEL_CANARY_CONTEXT (a kubeconfig context) and MODEL_CANARY_REGISTRY (a registry it pulls from)"
  for tool in docker kubectl helm jq; do command -v "$tool" >/dev/null || die "$tool is not on PATH; install it first"; done
  banner "your cluster: context $MODEL_CANARY_CONTEXT, registry $MODEL_CANARY_REGISTRY, namespace $NS"
  k() { kubectl --context "$MODEL_CANARY_CONTEXT" "$@"; }
  k version >/dev/null 2>&1 || die "context $MODEL_CANARY_CONTEXT does not answer (kubectl --context $MODEL_CANARY_CONTEXT version)"
  # A namespace you name is used as it is (a ServiceAccount may release into it without seeing namespaces).
  if [[ -z "${MODEL_CANARY_NAMESPACE:-}" ]] && ! k get namespace "$NS" >/dev/null 2>&1; then
    k create namespace "$NS" >/dev/null || die "namespace $NS does not exist and this context may not create it: set MODEL_CANARY_NAMESPACE to one it may release into (docs/rbac.yaml lists what it needs there)"
  fi
  sets+=(--set "cluster.context=$MODEL_CANARY_CONTEXT" --set "image.repository=$MODEL_CANARY_REGISTRY/models/iris")
  # The model file names the embedded registry's base image; yours is MODEL_CANARY_BASE_IMAGE or the Dockerfile's default.
  base="${MODEL_CANARY_BASE_IMAGE:-$(sed -n 's/^ARG BASE_IMAGE=//p' examples/iris/Dockerfile | head -1)}"
  [[ -n "$base" ]] || die "set MODEL_CANARY_BASE_IMAGE: an image with python3 the example can be built on"
  sets+=(--set "image.buildArgs.BASE_IMAGE=$base")
  command -v trivy >/dev/null || { echo "trivy is not on PATH: scanning is off for this demo (scan.enabled=false)" >&2; sets+=(--set scan.enabled=false); }
  LOGS="$(mktemp -d)"
else
  source cluster/lib.sh
  [[ $EUID -eq 0 ]] || die "the demo starts the local cluster, which needs root: sudo npm run demo (or name your own cluster: MODEL_CANARY_CONTEXT and MODEL_CANARY_REGISTRY)"
  banner "local cluster"
  bash cluster/up.sh >/dev/null
  export KUBECONFIG="$MC_KUBECONFIG"
  export PATH="$(bin_dir trivy "$TRIVY_VERSION"):$(bin_dir helm "$HELM_VERSION"):$K8S_BIN:$PATH"
  # Trivy cannot download its database here: scan offline against the small one the tests use.
  TRIVY_CACHE_DIR="$(bash cluster/trivy-db.sh | tail -1)"
  export TRIVY_CACHE_DIR TRIVY_SKIP_DB_UPDATE=true TRIVY_SKIP_JAVA_DB_UPDATE=true TRIVY_OFFLINE_SCAN=true TRIVY_CACHE_BACKEND=memory
  kubectl_admin create namespace "$NS" --dry-run=client -o yaml | kubectl_admin apply -f - >/dev/null
  kubectl_admin label namespace "$NS" --overwrite pod-security.kubernetes.io/enforce=restricted >/dev/null
  # The embedded registry's base image, which has the example's packages (nothing is pulled from outside here).
  sets+=(--set "image.buildArgs.BASE_IMAGE=127.0.0.1:5000/model-canary/debian-ml:bookworm")
  LOGS="$MC_LOGS"
fi
[[ -f dist/cli/index.js ]] || npm run build >/dev/null

release() { # title tag set...
  local title="$1" tag="$2"; shift 2
  banner "$title"
  local args=(release --config examples/iris/model-canary.yaml --namespace "$NS" --image-tag "$tag" --environment demo "${sets[@]}")
  for s in "$@"; do args+=(--set "$s"); done
  local started=$SECONDS code=0
  node dist/cli/index.js "${args[@]}" > "$LOGS/demo-$tag.json" || code=$?
  printf 'verdict: %s (exit %s) in %ss; outputs: %s\n' \
    "$(jq -r .verdict "$LOGS/demo-$tag.json")" "$code" "$((SECONDS - started))" "$LOGS/demo-$tag.json" >&2
}

stamp="$(date +%s)"
release "1/3 release v1: the first deploy becomes stable" "demo-v1-$stamp" 'model.version="1.0.0"' image.buildArgs.VARIANT=v1
release "2/3 release v2: canary beside stable, smoked, compared with v1, promoted" "demo-v2-$stamp" 'model.version="2.0.0"' image.buildArgs.VARIANT=v2
release "3/3 release a v2 that crashes at start: the gate catches it, rolled back" "demo-broken-$stamp" \
  'model.version="2.0.1"' image.buildArgs.VARIANT=v2 render.values.settings.MODEL_FAULT=crash
banner "status"
status_args=(status --config examples/iris/model-canary.yaml --namespace "$NS")
[[ -n "${MODEL_CANARY_CONTEXT:-}" ]] && status_args+=(--set "cluster.context=$MODEL_CANARY_CONTEXT")
node dist/cli/index.js "${status_args[@]}" >/dev/null
