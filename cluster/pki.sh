#!/usr/bin/env bash
# Makes the cluster's certificates at first up: one CA, a serving cert per server, a client cert per
# component, and the service-account signing key. Usage: cluster/pki.sh (idempotent).
source "$(dirname "$0")/lib.sh"
PKI="$MC_STATE/pki"
mkdir -p "$PKI"
cd "$PKI"
[[ -f ca.crt ]] || openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
  -subj "/CN=model-canary-ca" >/dev/null 2>&1

# The front proxy's own CA (the aggregation layer): the API server presents front-proxy-client to the
# aggregated API servers (metrics-server, the custom metrics adapter), which trust request headers only
# from a client this CA signed. A separate CA, so no other client certificate can assert a user that way.
[[ -f front-proxy-ca.crt ]] || openssl req -x509 -newkey rsa:2048 -nodes -keyout front-proxy-ca.key -out front-proxy-ca.crt \
  -days 3650 -subj "/CN=model-canary-front-proxy-ca" >/dev/null 2>&1

# cert NAME CN ORG SANS(comma list, may be empty) USAGE(server|client|both) [CA (default ca)]
cert() {
  local name="$1" cn="$2" org="$3" sans="$4" usage="$5" ca="${6:-ca}"
  [[ -f "$name.crt" ]] && return 0
  local subj="/CN=$cn"; [[ -n "$org" ]] && subj="/O=$org$subj"
  local ext="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment"
  case "$usage" in
    server) ext+=$'\nextendedKeyUsage=serverAuth' ;;
    client) ext+=$'\nextendedKeyUsage=clientAuth' ;;
    both) ext+=$'\nextendedKeyUsage=serverAuth,clientAuth' ;;
  esac
  [[ -n "$sans" ]] && ext+=$'\n'"subjectAltName=$sans"
  openssl req -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "$subj" >/dev/null 2>&1
  openssl x509 -req -in "$name.csr" -CA "$ca.crt" -CAkey "$ca.key" -CAcreateserial -out "$name.crt" -days 825 \
    -extfile <(printf '%s\n' "$ext") >/dev/null 2>&1
  rm -f "$name.csr"
}

cert etcd-server etcd "" "IP:127.0.0.1,DNS:localhost" both
cert apiserver-etcd-client kube-apiserver-etcd-client "" "" client
cert apiserver kube-apiserver "" "IP:$NODE_IP,IP:127.0.0.1,IP:$KUBERNETES_SERVICE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" server
cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters "" client
cert kubelet-server "$NODE_NAME" "" "IP:$NODE_IP,IP:127.0.0.1,DNS:$NODE_NAME" server
cert kubelet "system:node:$NODE_NAME" system:nodes "" client
cert admin model-canary-admin system:masters "" client
cert controller-manager system:kube-controller-manager "" "" client
cert scheduler system:kube-scheduler "" "" client
cert kube-proxy system:kube-proxy "" "" client
cert front-proxy-client front-proxy-client "" "" client front-proxy-ca
# Serving certificates of the aggregated API servers cluster/metrics.sh runs on the node: the aggregator
# checks them against the APIService's caBundle (this CA) and the name <service>.<namespace>.svc.
cert metrics-server metrics-server "" "DNS:metrics-server.$METRICS_NAMESPACE.svc,IP:$NODE_IP" server
cert metrics-adapter custom-metrics-adapter "" "DNS:custom-metrics-adapter.$METRICS_NAMESPACE.svc,IP:$NODE_IP" server
# The KServe controller's webhook server (cluster/kserve.sh): the API server calls it at the node address.
cert kserve-webhook kserve-webhook-server "" "DNS:kserve-webhook-server-service.$KSERVE_NAMESPACE.svc,IP:$NODE_IP" server
[[ -f sa.key ]] || { openssl genrsa -out sa.key 2048 >/dev/null 2>&1; openssl rsa -in sa.key -pubout -out sa.pub >/dev/null 2>&1; }
chmod 600 ./*.key

# kubeconfig FILE CERTNAME
kubeconfig() {
  local file="$1" name="$2"
  [[ -f "$file" ]] && return 0
  cat > "$file" <<KC
apiVersion: v1
kind: Config
clusters:
- name: model-canary
  cluster:
    server: $APISERVER_URL
    certificate-authority-data: $(base64 -w0 < ca.crt)
users:
- name: $name
  user:
    client-certificate-data: $(base64 -w0 < "$name.crt")
    client-key-data: $(base64 -w0 < "$name.key")
contexts:
- name: model-canary
  context: { cluster: model-canary, user: $name }
current-context: model-canary
KC
  chmod 600 "$file"
}
kubeconfig controller-manager.kubeconfig controller-manager
kubeconfig scheduler.kubeconfig scheduler
kubeconfig kubelet.kubeconfig kubelet
kubeconfig kube-proxy.kubeconfig kube-proxy
kubeconfig admin.kubeconfig admin
