#!/usr/bin/env bash
# Metrics on the local cluster, for the HorizontalPodAutoscaler and the `prometheus` analysis source:
#   metrics-server (METRICS_SERVER_VERSION)   serves metrics.k8s.io (kubectl top, HPA on CPU and memory)
#   Prometheus (PROMETHEUS_VERSION)           scrapes the pods annotated prometheus.io/scrape, found through
#                                             Kubernetes service discovery; $PROMETHEUS_URL (loopback only)
#   the custom metrics adapter                serves custom.metrics.k8s.io from Prometheus: the pods metric
#   (cluster/metrics-adapter, on              model_requests_per_second (HPA on requests per second); and
#                                             external.metrics.k8s.io: model_jobs_waiting (HPA on queue depth)
#   CUSTOM_METRICS_APISERVER_VERSION)
# Each is built from the Go module proxy once into $MC_CACHE/bin/<name>-<version> and runs on this host as
# a process like the control plane (pid file, log in the logs folder, stopped by cluster:down). The two
# aggregated API servers are registered as APIServices behind Services whose endpoint is the node address.
#
# Usage: cluster/metrics.sh [build [component...]|up|down|status]
#   build   build what is missing (nothing else; cached builds are kept); components: prometheus,
#           metrics-server, metrics-adapter (default: all)
#   up      (default) build if needed, start the three, register the APIServices, wait until they are
#           Available. Idempotent: again while up it only checks. Needs the cluster up (cluster/up.sh).
#   down    unregister the APIServices (when the API server answers), stop the three, remove their state
#   status  say what runs
source "$(dirname "$0")/lib.sh"

PKI="$MC_STATE/pki"
STATE="$MC_STATE/metrics"
MS_BIN="$(bin_dir metrics-server "$METRICS_SERVER_VERSION")/metrics-server"
PROM_BIN="$(bin_dir prometheus "$PROMETHEUS_VERSION")/prometheus"
ADAPTER_SRC="$CLUSTER_DIR/metrics-adapter"
# The adapter's cache key: the library's version and a hash of its source, so an edit rebuilds it.
ADAPTER_KEY="$CUSTOM_METRICS_APISERVER_VERSION-$(cat "$ADAPTER_SRC/main.go" "$ADAPTER_SRC/go.mod" "$ADAPTER_SRC/go.sum" | sha256sum | cut -c1-10)"
ADAPTER_BIN="$(bin_dir metrics-adapter "$ADAPTER_KEY")/metrics-adapter"
COMPONENTS=(prometheus metrics-server metrics-adapter)
APISERVICES=(v1beta1.metrics.k8s.io v1beta1.custom.metrics.k8s.io v1beta2.custom.metrics.k8s.io v1beta1.external.metrics.k8s.io)

# Requests per second to the model per pod: the rate of the model server's counter over 1m, without the
# scrapes and probes (routes /metrics, /healthz, /livez, /ready, /readyz), summed over its other labels
# (model, version, track, route, status).
RPS_RULE='model_requests_per_second=sum by (namespace, pod) (rate(model_requests_total{<<.LabelMatchers>>,route!~"/metrics|/healthz|/livez|/readyz?"}[1m]))'
# The jobs waiting in a track's list (templates/docker/README.md): every worker of the track reports the same length,
# so the max of theirs, by model and track (the worker HPA's selector names both).
JOBS_RULE='model_jobs_waiting=max by (namespace, model, track) (model_jobs_waiting{<<.LabelMatchers>>})'

# --- build ----------------------------------------------------------------------------------------------
done_marker() { echo "$(dirname "$1")/.complete"; }

build_metrics_server() {
  [[ -f "$(done_marker "$MS_BIN")" ]] && return 0
  log "building metrics-server $METRICS_SERVER_VERSION (first time only)"
  mkdir -p "$(dirname "$MS_BIN")"
  GOBIN="$(dirname "$MS_BIN")" go install -trimpath \
    -ldflags "-s -w -X k8s.io/client-go/pkg/version.gitVersion=$METRICS_SERVER_VERSION" \
    "sigs.k8s.io/metrics-server/cmd/metrics-server@$METRICS_SERVER_VERSION" || return 1
  touch "$(done_marker "$MS_BIN")"
}

# Only the Kubernetes service discovery is compiled in (Prometheus' own build tags): the other
# discoveries would bring every cloud SDK for nothing. No built-in web UI assets (the HTTP API is all
# the cluster uses; the UI pages answer 404).
build_prometheus() {
  [[ -f "$(done_marker "$PROM_BIN")" ]] && return 0
  log "building prometheus $PROMETHEUS_VERSION (first time only)"
  # The module's v0.MMP.P is Prometheus M.MP.P: v0.316.0 is 3.16.0.
  local minor="${PROMETHEUS_VERSION#v0.}"; minor="${minor%%.*}"
  local version="$((10#$minor / 100)).$((10#$minor % 100)).${PROMETHEUS_VERSION##*.}"
  mkdir -p "$(dirname "$PROM_BIN")"
  GOBIN="$(dirname "$PROM_BIN")" go install -trimpath -tags remove_all_sd,enable_kubernetes_sd \
    -ldflags "-s -w -X github.com/prometheus/common/version.Version=$version -X github.com/prometheus/common/version.Branch=HEAD" \
    "github.com/prometheus/prometheus/cmd/prometheus@$PROMETHEUS_VERSION" || return 1
  touch "$(done_marker "$PROM_BIN")"
}

# Built in a copy of cluster/metrics-adapter (the Go tools may rewrite go.mod and go.sum; the repo's stay).
build_adapter() {
  [[ -f "$(done_marker "$ADAPTER_BIN")" ]] && return 0
  log "building the custom metrics adapter on custom-metrics-apiserver $CUSTOM_METRICS_APISERVER_VERSION (first time only)"
  local dir="$MC_CACHE/src/metrics-adapter-$ADAPTER_KEY"
  rm -rf "$dir"; mkdir -p "$dir" "$(dirname "$ADAPTER_BIN")"
  cp "$ADAPTER_SRC/main.go" "$ADAPTER_SRC/go.mod" "$ADAPTER_SRC/go.sum" "$dir/"
  (cd "$dir" && go mod edit -require "sigs.k8s.io/custom-metrics-apiserver@$CUSTOM_METRICS_APISERVER_VERSION" \
    && go mod tidy && go build -trimpath -ldflags "-s -w" -o "$ADAPTER_BIN" .) || return 1
  touch "$(done_marker "$ADAPTER_BIN")"
}

build_all() { # [component...] (default: all three)
  local c
  for c in "${@:-${COMPONENTS[@]}}"; do
    case "$c" in
      metrics-server) timed metrics-server build_metrics_server ;;
      prometheus) timed prometheus build_prometheus ;;
      metrics-adapter) timed metrics-adapter build_adapter ;;
      *) die "no component $c: one of ${COMPONENTS[*]}" ;;
    esac
  done
}

# --- up -------------------------------------------------------------------------------------------------
apiserver_has_aggregation() {
  is_running kube-apiserver && tr '\0' ' ' < "/proc/$(cat "$(pid_file kube-apiserver)")/cmdline" | grep -qF -- --requestheader-client-ca-file
}

# Namespace, the three ServiceAccounts and what each may do (the upstream manifests' RBAC), the Services
# without a selector and their EndpointSlices: the node address, where the two servers listen.
apply_objects() {
  kubectl_admin apply --server-side --force-conflicts --field-manager=model-canary-cluster -f - >/dev/null 2>"$STATE/apply.err" <<YAML || { cat "$STATE/apply.err" >&2; die "applying the metrics objects failed"; }
apiVersion: v1
kind: Namespace
metadata: { name: $METRICS_NAMESPACE }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: metrics-server, namespace: $METRICS_NAMESPACE }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: prometheus, namespace: $METRICS_NAMESPACE }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: custom-metrics-adapter, namespace: $METRICS_NAMESPACE }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: "model-canary:metrics-server" }
rules:
  - { apiGroups: [""], resources: [nodes/metrics], verbs: [get] }
  - { apiGroups: [""], resources: [pods, nodes], verbs: [get, list, watch] }
---
# Who may read metrics.k8s.io: whoever has view, edit or admin (the upstream aggregated-metrics-reader).
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: "model-canary:aggregated-metrics-reader"
  labels:
    rbac.authorization.k8s.io/aggregate-to-view: "true"
    rbac.authorization.k8s.io/aggregate-to-edit: "true"
    rbac.authorization.k8s.io/aggregate-to-admin: "true"
rules:
  - { apiGroups: [metrics.k8s.io], resources: [pods, nodes], verbs: [get, list, watch] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: "model-canary:prometheus" }
rules:
  - { apiGroups: [""], resources: [pods], verbs: [get, list, watch] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: "model-canary:custom-metrics-adapter" }
rules:
  - { apiGroups: [""], resources: [pods], verbs: [get, list, watch] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: "model-canary:metrics-server" }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "model-canary:metrics-server" }
subjects: [{ kind: ServiceAccount, name: metrics-server, namespace: $METRICS_NAMESPACE }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: "model-canary:prometheus" }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "model-canary:prometheus" }
subjects: [{ kind: ServiceAccount, name: prometheus, namespace: $METRICS_NAMESPACE }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: "model-canary:custom-metrics-adapter" }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "model-canary:custom-metrics-adapter" }
subjects: [{ kind: ServiceAccount, name: custom-metrics-adapter, namespace: $METRICS_NAMESPACE }]
---
# The aggregated servers check who asked (TokenReview, SubjectAccessReview) and read the front proxy's CA.
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: "model-canary:metrics:auth-delegator" }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:auth-delegator" }
subjects:
  - { kind: ServiceAccount, name: metrics-server, namespace: $METRICS_NAMESPACE }
  - { kind: ServiceAccount, name: custom-metrics-adapter, namespace: $METRICS_NAMESPACE }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: "model-canary:metrics:auth-reader", namespace: kube-system }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: extension-apiserver-authentication-reader }
subjects:
  - { kind: ServiceAccount, name: metrics-server, namespace: $METRICS_NAMESPACE }
  - { kind: ServiceAccount, name: custom-metrics-adapter, namespace: $METRICS_NAMESPACE }
---
apiVersion: v1
kind: Service
metadata: { name: metrics-server, namespace: $METRICS_NAMESPACE }
spec: { ports: [{ name: https, port: 443, targetPort: $METRICS_SERVER_PORT }] }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: metrics-server
  namespace: $METRICS_NAMESPACE
  labels: { kubernetes.io/service-name: metrics-server, endpointslice.kubernetes.io/managed-by: model-canary-cluster }
addressType: IPv4
endpoints: [{ addresses: ["$NODE_IP"], conditions: { ready: true } }]
ports: [{ name: https, port: $METRICS_SERVER_PORT, protocol: TCP }]
---
apiVersion: v1
kind: Service
metadata: { name: custom-metrics-adapter, namespace: $METRICS_NAMESPACE }
spec: { ports: [{ name: https, port: 443, targetPort: $METRICS_ADAPTER_PORT }] }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: custom-metrics-adapter
  namespace: $METRICS_NAMESPACE
  labels: { kubernetes.io/service-name: custom-metrics-adapter, endpointslice.kubernetes.io/managed-by: model-canary-cluster }
addressType: IPv4
endpoints: [{ addresses: ["$NODE_IP"], conditions: { ready: true } }]
ports: [{ name: https, port: $METRICS_ADAPTER_PORT, protocol: TCP }]
YAML
}

apply_apiservices() {
  local ca; ca="$(base64 -w0 < "$PKI/ca.crt")"
  kubectl_admin apply --server-side --force-conflicts --field-manager=model-canary-cluster -f - >/dev/null <<YAML || die "registering the APIServices failed"
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: { name: v1beta1.metrics.k8s.io }
spec:
  group: metrics.k8s.io
  version: v1beta1
  service: { name: metrics-server, namespace: $METRICS_NAMESPACE, port: 443 }
  caBundle: $ca
  groupPriorityMinimum: 100
  versionPriority: 100
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: { name: v1beta1.custom.metrics.k8s.io }
spec:
  group: custom.metrics.k8s.io
  version: v1beta1
  service: { name: custom-metrics-adapter, namespace: $METRICS_NAMESPACE, port: 443 }
  caBundle: $ca
  groupPriorityMinimum: 100
  versionPriority: 100
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: { name: v1beta2.custom.metrics.k8s.io }
spec:
  group: custom.metrics.k8s.io
  version: v1beta2
  service: { name: custom-metrics-adapter, namespace: $METRICS_NAMESPACE, port: 443 }
  caBundle: $ca
  groupPriorityMinimum: 100
  versionPriority: 200
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: { name: v1beta1.external.metrics.k8s.io }
spec:
  group: external.metrics.k8s.io
  version: v1beta1
  service: { name: custom-metrics-adapter, namespace: $METRICS_NAMESPACE, port: 443 }
  caBundle: $ca
  groupPriorityMinimum: 100
  versionPriority: 100
YAML
}

# One kubeconfig per component, with a token of its ServiceAccount (cluster/sa-kubeconfig.sh).
kubeconfigs() {
  local sa
  for sa in metrics-server prometheus custom-metrics-adapter; do
    [[ -s "$STATE/$sa.kubeconfig" ]] && continue
    bash "$CLUSTER_DIR/sa-kubeconfig.sh" "$METRICS_NAMESPACE" "$sa" "$STATE/$sa.kubeconfig" 8760h >/dev/null
  done
}

# Scrapes what pods ask to be scraped, the usual way: prometheus.io/scrape "true", prometheus.io/port (else
# the container's declared ports), prometheus.io/path (else /metrics), prometheus.io/scheme. Targets are
# labelled namespace and pod only: the pods' own labels are not copied, so a metric's track label (the
# model server's own) never clashes with the pod's.
write_prometheus_config() {
  cat > "$STATE/prometheus.yml" <<YAML
global:
  scrape_interval: 5s
  scrape_timeout: 4s
  evaluation_interval: 5s
scrape_configs:
  - job_name: kubernetes-pods
    kubernetes_sd_configs:
      - role: pod
        kubeconfig_file: $STATE/prometheus.kubeconfig
    # Servers that send no Content-Type (Python's http.server, a shell loop) are read as the text format.
    fallback_scrape_protocol: PrometheusText0.0.4
    relabel_configs:
      - { source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape], regex: "true", action: keep }
      - { source_labels: [__meta_kubernetes_pod_phase], regex: "Pending|Succeeded|Failed", action: drop }
      - { source_labels: [__meta_kubernetes_pod_container_init], regex: "true", action: drop }
      - { source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scheme], regex: "(https?)", target_label: __scheme__ }
      - { source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path], regex: "(.+)", target_label: __metrics_path__ }
      - source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port]
        regex: '([^:]+)(?::\d+)?;(\d+)'
        replacement: '\$1:\$2'
        target_label: __address__
      - { source_labels: [__meta_kubernetes_namespace], target_label: namespace }
      - { source_labels: [__meta_kubernetes_pod_name], target_label: pod }
YAML
}

metrics_up() {
  build_all
  source "$CLUSTER_DIR/start-lib.sh"
  bash "$CLUSTER_DIR/status.sh" --quiet || die "the cluster is not up; run cluster/up.sh first"
  bash "$CLUSTER_DIR/pki.sh"
  if ! apiserver_has_aggregation; then
    log "the API server runs without the aggregation layer's flags; restarting it with them"
    bash "$CLUSTER_DIR/restart-apiserver.sh" 0 --new-flags
  fi
  mkdir -p "$STATE" "$MC_RUN" "$MC_LOGS"; chmod 700 "$STATE"
  apply_objects
  kubeconfigs
  write_prometheus_config
  # The working directory is the state folder: nothing lands in the caller's.
  (cd "$STATE" && start prometheus "$PROM_BIN" --config.file "$STATE/prometheus.yml" \
    --storage.tsdb.path "$STATE/prometheus-data" --storage.tsdb.retention.time 12h \
    --web.listen-address "127.0.0.1:$PROMETHEUS_PORT" --log.level info)
  local k="$STATE/metrics-server.kubeconfig"
  # The kubelet's serving certificate (cluster/pki.sh) is signed by the cluster CA for the node address,
  # so metrics-server verifies it (--kubelet-certificate-authority) instead of --kubelet-insecure-tls.
  (cd "$STATE" && start metrics-server "$MS_BIN" --kubeconfig "$k" \
    --authentication-kubeconfig "$k" --authorization-kubeconfig "$k" \
    --bind-address "$NODE_IP" --secure-port "$METRICS_SERVER_PORT" \
    --tls-cert-file "$PKI/metrics-server.crt" --tls-private-key-file "$PKI/metrics-server.key" \
    --kubelet-preferred-address-types InternalIP --kubelet-certificate-authority "$PKI/ca.crt" \
    --metric-resolution 15s --profiling=false)
  k="$STATE/custom-metrics-adapter.kubeconfig"
  (cd "$STATE" && start metrics-adapter "$ADAPTER_BIN" --lister-kubeconfig "$k" \
    --authentication-kubeconfig "$k" --authorization-kubeconfig "$k" \
    --bind-address "$NODE_IP" --secure-port "$METRICS_ADAPTER_PORT" \
    --tls-cert-file "$PKI/metrics-adapter.crt" --tls-private-key-file "$PKI/metrics-adapter.key" \
    --prometheus-url "$PROMETHEUS_URL" --rule "$RPS_RULE" --external-rule "$JOBS_RULE" --profiling=false)
  wait_for prometheus 60 curl -sf "$PROMETHEUS_URL/-/ready"
  wait_for metrics-adapter 60 curl -sf --cacert "$PKI/ca.crt" "https://$NODE_IP:$METRICS_ADAPTER_PORT/readyz"
  # Ready once it has scraped the kubelet (one --metric-resolution).
  wait_for metrics-server 90 curl -sf --cacert "$PKI/ca.crt" "https://$NODE_IP:$METRICS_SERVER_PORT/readyz"
  apply_apiservices
  local s
  for s in "${APISERVICES[@]}"; do
    kubectl_admin wait --for=condition=Available "apiservice/$s" --timeout=60s >/dev/null 2>&1 \
      || fail "$([[ $s == *.custom.* || $s == *.external.* ]] && echo metrics-adapter || echo metrics-server)" "the APIService $s did not become Available within 60s: $(kubectl_admin get apiservice "$s" -o 'jsonpath={.status.conditions[0].message}' 2>&1)"
  done
  log "metrics up: metrics-server $METRICS_SERVER_VERSION (metrics.k8s.io), Prometheus $PROMETHEUS_VERSION at $PROMETHEUS_URL, custom metrics adapter (custom.metrics.k8s.io: pods/model_requests_per_second; external.metrics.k8s.io: model_jobs_waiting)"
  echo "$PROMETHEUS_URL"
}

# --- down -----------------------------------------------------------------------------------------------
stop_one() { # name binary
  local f; f="$(pid_file "$1")"
  [[ -f "$f" ]] || return 0
  local pid; pid="$(cat "$f")"
  if [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF "$MC_CACHE/bin/$1-"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

metrics_down() {
  # An APIService whose server is gone makes discovery fail, and with it namespace deletion: unregister
  # them first while the cluster stays up.
  if is_running kube-apiserver && [[ -f "$MC_KUBECONFIG" ]]; then
    kubectl_admin delete apiservice "${APISERVICES[@]}" --ignore-not-found --request-timeout=10s >/dev/null 2>&1 || true
  fi
  local c
  for c in "${COMPONENTS[@]}"; do stop_one "$c"; done
  rm -rf "$STATE"
}

metrics_status() {
  local c all=true
  for c in "${COMPONENTS[@]}"; do
    if is_running "$c"; then printf '%-24s running (pid %s)\n' "$c" "$(cat "$(pid_file "$c")")"
    else printf '%-24s stopped\n' "$c"; all=false; fi
  done
  local s
  for s in "${APISERVICES[@]}"; do
    printf '%-32s %s\n' "$s" "$(kubectl_admin get apiservice "$s" -o 'jsonpath={.status.conditions[?(@.type=="Available")].status}' --request-timeout=5s 2>/dev/null || echo 'not registered')"
  done
  printf '%-24s %s\n' prometheus-url "$PROMETHEUS_URL"
  $all
}

case "${1:-up}" in
  build) shift; build_all "$@" ;;
  up) metrics_up ;;
  down) metrics_down ;;
  status) metrics_status ;;
  *) die "usage: cluster/metrics.sh [build [component...]|up|down|status]" ;;
esac
