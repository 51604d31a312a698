#!/usr/bin/env bash
# Starts the local single-node cluster (see README "Local cluster"). Safe to run again while it is up.
# Prints the admin kubeconfig path as its last line; it is also always at $MC_KUBECONFIG.
source "$(dirname "$0")/lib.sh"
source "$CLUSTER_DIR/start-lib.sh"
[[ $EUID -eq 0 ]] || die "cluster:up must run as root (it starts containerd, the kubelet and dockerd)"
T0=$SECONDS

# The add-ons on a running node: each step builds only what is missing and, when its part already runs,
# only checks it (so a second cluster:up also brings up an add-on added since the first).
addons() {
  # --- Gateway API for canary.strategy traffic: CRDs, Traefik (built once), a Gateway ----------------------
  bash "$CLUSTER_DIR/gateway.sh" up >/dev/null
  # --- metrics: metrics-server, Prometheus, the custom metrics adapter (each built once) ----------------------
  bash "$CLUSTER_DIR/metrics.sh" up >/dev/null
  # --- KServe in Standard mode on the Gateway: CRDs, its controller (built once), the sklearn runtime ----------
  bash "$CLUSTER_DIR/kserve.sh" up >/dev/null
}

if bash "$CLUSTER_DIR/status.sh" --quiet; then
  addons
  log "already up (add-ons checked in $((SECONDS - T0))s)"
  echo "$MC_KUBECONFIG"
  exit 0
fi

# A cluster that is not (fully) running but left state behind (its processes were killed, the machine
# was handed over) is cleaned up first: a fresh start is faster and surer than reviving stale pods.
if compgen -G "$MC_RUN/*.pid" >/dev/null || [[ -d "$MC_STATE/pki" ]] || ip link show "$BRIDGE" >/dev/null 2>&1; then
  log "a previous cluster is not fully running; cleaning it up first"
  bash "$CLUSTER_DIR/down.sh"
fi

bash "$CLUSTER_DIR/prereqs.sh"
bash "$CLUSTER_DIR/build.sh"
bash "$CLUSTER_DIR/pki.sh"
PKI="$MC_STATE/pki"
mkdir -p "$MC_RUN" "$MC_LOGS" "$MC_STATE/etcd" "$CONTAINERD_STATE" "$MC_CACHE/registry-data"
cp "$PKI/admin.kubeconfig" "$MC_KUBECONFIG"

# --- host network: our bridge carries the node address and the pods --------------------------------
if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
  ip link add "$BRIDGE" type bridge
  ip addr add "$NODE_IP/24" dev "$BRIDGE"
fi
ip link set "$BRIDGE" up
sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1
# Pods may talk to each other and to this node, never past it: nothing they send is forwarded out.
iptables -C FORWARD -i "$BRIDGE" ! -o "$BRIDGE" -m comment --comment model-canary -j DROP 2>/dev/null \
  || iptables -I FORWARD 1 -i "$BRIDGE" ! -o "$BRIDGE" -m comment --comment model-canary -j DROP

# --- docker engine (for image builds) and the image registry ------------------------------------------
if ! docker info >/dev/null 2>&1; then
  # No bridge and no iptables: builds need no network (packages come from a local wheelhouse).
  start dockerd /usr/sbin/dockerd --pidfile "$MC_RUN/dockerd.self.pid" --bridge=none --iptables=false --ip6tables=false
  wait_for dockerd 60 docker info
fi
cat > "$MC_STATE/registry.yml" <<YML
version: 0.1
log: { level: warn }
storage:
  filesystem: { rootdirectory: $MC_CACHE/registry-data }
  delete: { enabled: true }
http: { addr: $REGISTRY_ADDR }
YML
start registry "$(bin_dir registry "$REGISTRY_VERSION")/registry" serve "$MC_STATE/registry.yml"
wait_for registry 30 curl -sf "http://$REGISTRY_ADDR/v2/"

# --- etcd --------------------------------------------------------------------------------------------
start etcd "$(bin_dir etcd "$ETCD_VERSION")/etcd" --name node --data-dir "$MC_STATE/etcd" \
  --listen-client-urls https://127.0.0.1:2379 --advertise-client-urls https://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster node=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381 \
  --cert-file "$PKI/etcd-server.crt" --key-file "$PKI/etcd-server.key" \
  --client-cert-auth --trusted-ca-file "$PKI/ca.crt" --quota-backend-bytes 2147483648 --log-level warn

# --- control plane -------------------------------------------------------------------------------------
apiserver_command
start kube-apiserver "${APISERVER_CMD[@]}"
# --- node: containerd, CNI, kubelet, kube-proxy ----------------------------------------------------------
bash "$CLUSTER_DIR/node-config.sh"
PATH="$(bin_dir containerd "$CONTAINERD_VERSION"):$PATH" start containerd \
  "$(bin_dir containerd "$CONTAINERD_VERSION")/containerd" --config "$MC_STATE/containerd.toml"
wait_for etcd 30 curl -sf http://127.0.0.1:2381/health
wait_for kube-apiserver 90 curl -sf --cacert "$PKI/ca.crt" "$APISERVER_URL/readyz"
wait_for containerd 30 test -S "$CONTAINERD_SOCK"
# They exit when the API refuses them during its RBAC bootstrap, so they start once it is ready.
start kube-controller-manager "$K8S_BIN/kube-controller-manager" \
  --kubeconfig "$PKI/controller-manager.kubeconfig" --authentication-kubeconfig "$PKI/controller-manager.kubeconfig" \
  --authorization-kubeconfig "$PKI/controller-manager.kubeconfig" --bind-address 127.0.0.1 \
  --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
  --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
  --use-service-account-credentials --leader-elect=false --service-cluster-ip-range "$SERVICE_CIDR" \
  --controllers '*,-bootstrapsigner,-tokencleaner' --profiling=false --v=1
start kube-scheduler "$K8S_BIN/kube-scheduler" --kubeconfig "$PKI/scheduler.kubeconfig" \
  --authentication-kubeconfig "$PKI/scheduler.kubeconfig" --authorization-kubeconfig "$PKI/scheduler.kubeconfig" \
  --bind-address 127.0.0.1 --leader-elect=false --profiling=false --v=1

log "control plane ready after $((SECONDS - T0))s"

start kubelet "$K8S_BIN/kubelet" --config "$MC_STATE/kubelet.yaml" --kubeconfig "$PKI/kubelet.kubeconfig" \
  --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --root-dir "$MC_STATE/kubelet" --v=1
start kube-proxy "$K8S_BIN/kube-proxy" --config "$MC_STATE/kube-proxy.yaml" --v=1

# --- images the cluster itself needs, then CoreDNS ------------------------------------------------------
bash "$CLUSTER_DIR/images.sh" system
wait_for kubelet 90 kubectl_admin wait --for=condition=Ready "node/$NODE_NAME" --timeout=1s
kubectl_admin apply --server-side --field-manager=model-canary-cluster -f "$MC_STATE/coredns.yaml" >/dev/null \
  || fail kube-apiserver "applying CoreDNS failed"
kubectl_admin -n kube-system rollout status deployment/coredns --timeout=120s >/dev/null \
  || fail kubelet "CoreDNS did not become ready"
log "node ready after $((SECONDS - T0))s"

# --- model-server base images (cached by content; built once) ------------------------------------------
bash "$CLUSTER_DIR/images.sh" base
bash "$CLUSTER_DIR/images.sh" redis
addons
log "cluster up in $((SECONDS - T0))s; kubeconfig:"
echo "$MC_KUBECONFIG"
