#!/usr/bin/env bash
# npm run demo: brings the local cluster up if needed, then releases the example model three times with the
# CLI, exactly as the action would: v1 (first deploy), v2 (canary, smoked, promoted), and a build of v2 that
# crashes at start (caught by the readiness gate, rolled back). Ends with `status`. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
source cluster/lib.sh
[[ $EUID -eq 0 ]] || die "the demo starts the local cluster, which needs root: sudo npm run demo"
banner() { printf '\n\033[1m### %s\033[0m\n' "$*" >&2; }

banner "local cluster"
bash cluster/up.sh >/dev/null
[[ -f dist/cli/index.js ]] || npm run build >/dev/null
export KUBECONFIG="$MC_KUBECONFIG"
export PATH="$(bin_dir trivy "$TRIVY_VERSION"):$(bin_dir helm "$HELM_VERSION"):$K8S_BIN:$PATH"
# Trivy cannot download its database here: scan offline against the small one the tests use.
TRIVY_CACHE_DIR="$(bash cluster/trivy-db.sh | tail -1)"
export TRIVY_CACHE_DIR TRIVY_SKIP_DB_UPDATE=true TRIVY_SKIP_JAVA_DB_UPDATE=true TRIVY_OFFLINE_SCAN=true TRIVY_CACHE_BACKEND=memory

NS=model-canary-demo
kubectl_admin create namespace "$NS" --dry-run=client -o yaml | kubectl_admin apply -f - >/dev/null
kubectl_admin label namespace "$NS" --overwrite pod-security.kubernetes.io/enforce=restricted >/dev/null

release() { # title tag set...
  local title="$1" tag="$2"; shift 2
  banner "$title"
  local args=(release --config examples/iris/model-canary.yaml --namespace "$NS" --image-tag "$tag"
    --environment demo --set scan.ignoreFile=examples/iris/demo.trivyignore --set scan.ignoreUnfixed=true)
  for s in "$@"; do args+=(--set "$s"); done
  local started=$SECONDS code=0
  node dist/cli/index.js "${args[@]}" > "$MC_LOGS/demo-$tag.json" || code=$?
  printf 'verdict: %s (exit %s) in %ss; outputs: %s\n' \
    "$(jq -r .verdict "$MC_LOGS/demo-$tag.json")" "$code" "$((SECONDS - started))" "$MC_LOGS/demo-$tag.json" >&2
}

stamp="$(date +%s)"
release "1/3 release v1: the first deploy becomes stable" "demo-v1-$stamp" 'model.version="1.0.0"' image.buildArgs.VARIANT=v1
release "2/3 release v2: canary beside stable, smoked, compared with v1, promoted" "demo-v2-$stamp" 'model.version="2.0.0"' image.buildArgs.VARIANT=v2
release "3/3 release a v2 that crashes at start: the gate catches it, rolled back" "demo-broken-$stamp" \
  'model.version="2.0.1"' image.buildArgs.VARIANT=v2 render.values.settings.MODEL_FAULT=crash
banner "status"
node dist/cli/index.js status --config examples/iris/model-canary.yaml --namespace "$NS" >/dev/null
