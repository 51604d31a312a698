#!/usr/bin/env bash
# Says what of the local cluster runs. With --quiet, prints nothing and exits 0 only when all is up.
source "$(dirname "$0")/lib.sh"
COMPONENTS=(registry etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy)
quiet=false; [[ "${1:-}" == "--quiet" ]] && quiet=true
all_up=true
for c in "${COMPONENTS[@]}"; do
  if is_running "$c"; then
    $quiet || printf '%-24s running (pid %s)\n' "$c" "$(cat "$(pid_file "$c")")"
  else
    all_up=false
    $quiet || printf '%-24s stopped\n' "$c"
  fi
done
if docker info >/dev/null 2>&1; then
  if is_running dockerd; then $quiet || printf '%-24s running (pid %s)\n' dockerd "$(cat "$(pid_file dockerd)")"
  else $quiet || printf '%-24s running (not started by cluster:up)\n' dockerd; fi
else
  all_up=false; $quiet || printf '%-24s stopped\n' dockerd
fi
node_ready=false
if $all_up && [[ -f "$MC_KUBECONFIG" ]] && \
   [[ "$(kubectl_admin get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' --request-timeout=5s 2>/dev/null)" == "True" ]] && \
   [[ "$(kubectl_admin -n kube-system get deploy coredns -o 'jsonpath={.status.readyReplicas}' --request-timeout=5s 2>/dev/null)" == "1" ]]; then
  node_ready=true
fi
# The add-ons (cluster/gateway.sh, metrics.sh, kserve.sh): said, not counted in --quiet, since each checks
# the cluster with it before it starts (their own `status` says more).
if ! $quiet; then
  for c in traefik prometheus metrics-server metrics-adapter kserve; do
    if is_running "$c"; then printf '%-24s running (pid %s)\n' "$c" "$(cat "$(pid_file "$c")")"
    else printf '%-24s stopped\n' "$c"; fi
  done
  printf '%-24s %s\n' node "$($node_ready && echo Ready || echo 'not ready')"
  printf '%-24s %s\n' kubeconfig "$MC_KUBECONFIG"
  printf '%-24s %s\n' logs "$MC_LOGS"
fi
$all_up && $node_ready
