#!/usr/bin/env bash
# Figures for the local cluster, measured in one run (run as root with the cluster built):
#   cold build time   with --cold: cluster/build.sh, gateway.sh, metrics.sh and kserve.sh build into an empty
#                     cache (about an hour on 2 cores);
#                     without it: the last build time cluster/build.sh recorded for each component
#   warm cluster:up   cluster:down, then cluster:up until the node and CoreDNS are Ready (goal <= 60 s)
#   resident memory   RSS of every cluster process: components, containerd shims and the pods (goal <= 2 GiB)
#   apply to Ready    kubectl apply of a small pod until Ready, first (image pull) and second time (goal <= 10 s)
source "$(dirname "$0")/../cluster/lib.sh"
cd "$REPO_DIR"
ms() { date +%s%3N; }

times_file="$MC_CACHE/build-times.tsv"
cold=""
if [[ "${1:-}" == "--cold" ]]; then
  echo "== cold build: every component into an empty cache =="
  cold="$(mktemp -d /var/tmp/model-canary-cold-XXXX)"
  MODEL_CANARY_CACHE="$cold" bash cluster/build.sh >/dev/null 2>"$MC_LOGS/bench-cold-build.log" || { tail "$MC_LOGS/bench-cold-build.log"; exit 1; }
  # The add-ons cluster:up builds too: Traefik (gateway.sh), metrics-server, Prometheus and the adapter
  # (metrics.sh), the KServe controller (kserve.sh; its runtime image is in the registry, kept across caches).
  for addon in "gateway build" "metrics build" "kserve build manager"; do
    # shellcheck disable=SC2086
    MODEL_CANARY_CACHE="$cold" bash "cluster/${addon%% *}.sh" ${addon#* } >/dev/null 2>>"$MC_LOGS/bench-cold-build.log" || { tail "$MC_LOGS/bench-cold-build.log"; exit 1; }
  done
  times_file="$cold/build-times.tsv"
else
  echo "== last recorded build of each component (cold only when its cache was empty; --cold measures one) =="
fi
if [[ -f "$times_file" ]]; then
  awk -F'\t' '{t[$1]=$2} END {for (c in t) {printf "  %-12s %5ss\n", c, t[c]; s+=t[c]} printf "  %-12s %5ss\n", "total", s}' "$times_file"
else
  echo "  no record yet"
fi
[[ -z "$cold" ]] || rm -rf "$cold"

echo "== warm cluster:up =="
bash cluster/down.sh >/dev/null 2>&1
t0=$(ms); bash cluster/up.sh >/dev/null 2>"$MC_LOGS/bench-up.log" || { tail "$MC_LOGS/bench-up.log"; exit 1; }
up_ms=$(( $(ms) - t0 ))
printf '  warm up to a Ready node with CoreDNS: %.1f s (goal <= 60 s)\n' "$(echo "$up_ms/1000" | bc -l)"

echo "== apply to Ready =="
BASE="$REGISTRY_ADDR/model-canary/debian-python:bookworm"
tag="$REGISTRY_ADDR/bench/http-server:bench"
docker build -q -t "$tag" --build-arg BASE_IMAGE="$BASE" test/e2e/fixtures/http-server >/dev/null 2>&1
docker push -q "$tag" >/dev/null
image="$(docker image inspect --format '{{index .RepoDigests 0}}' "$tag")"
ns="bench-$(date +%s)"
kubectl_admin create namespace "$ns" >/dev/null
kubectl_admin label namespace "$ns" pod-security.kubernetes.io/enforce=restricted >/dev/null
pod_json() { # name
  jq -n --arg name "$1" --arg image "$image" '{apiVersion:"v1",kind:"Pod",metadata:{name:$name},spec:{
    securityContext:{runAsNonRoot:true,runAsUser:10001,seccompProfile:{type:"RuntimeDefault"}},
    containers:[{name:"web",image:$image,ports:[{containerPort:8080}],
      readinessProbe:{httpGet:{path:"/",port:8080},periodSeconds:1},
      resources:{requests:{cpu:"10m",memory:"32Mi"},limits:{memory:"64Mi"}},
      securityContext:{allowPrivilegeEscalation:false,capabilities:{drop:["ALL"]}}}]}}'
}
for run in first second; do
  t0=$(ms)
  pod_json "p-$run" | kubectl_admin -n "$ns" apply -f - >/dev/null
  kubectl_admin -n "$ns" wait --for=condition=Ready "pod/p-$run" --timeout=120s >/dev/null
  elapsed=$(( $(ms) - t0 ))
  printf '  %s pod (%s): %.1f s (goal <= 10 s)\n' "$run" "$([[ $run == first ]] && echo 'pulls the image' || echo 'image cached')" "$(echo "$elapsed/1000" | bc -l)"
done

echo "== resident memory =="
pids=()
for f in "$MC_RUN"/*.pid; do [[ "$(basename "$f")" == dockerd.self.pid ]] || pids+=("$(cat "$f")"); done
for f in "$CONTAINERD_STATE"/io.containerd.runtime.v2.task/*/*/shim.pid; do [[ -f "$f" ]] && pids+=("$(cat "$f")"); done
all=("${pids[@]}")
for p in "${pids[@]}"; do
  while read -r c; do [[ -n "$c" ]] && all+=("$c"); done < <(pgrep -P "$p" 2>/dev/null || true)
done
# Pods' processes are children of the shims' children; walk two more levels.
for _ in 1 2; do
  for p in "${all[@]}"; do while read -r c; do [[ -n "$c" ]] && all+=("$c"); done < <(pgrep -P "$p" 2>/dev/null || true); done
done
total=0; declare -A seen
for p in "${all[@]}"; do
  [[ -n "${seen[$p]:-}" ]] && continue; seen[$p]=1
  rss=$(awk '/^VmRSS:/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0); total=$((total + ${rss:-0}))
done
printf '  %d processes, %.0f MiB resident (goal <= 2048 MiB; dockerd and its builds are not counted)\n' "${#seen[@]}" "$(echo "$total/1024" | bc -l)"
kubectl_admin delete namespace "$ns" --wait=false >/dev/null
