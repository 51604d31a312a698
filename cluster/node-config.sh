#!/usr/bin/env bash
# Writes the node's config files: containerd, CNI, kubelet, kube-proxy, CoreDNS. Idempotent.
source "$(dirname "$0")/lib.sh"
PKI="$MC_STATE/pki"
CNI_BIN="$(bin_dir cni-plugins "$CNI_PLUGINS_VERSION")"
mkdir -p "$MC_STATE/cni/net.d" "$MC_STATE/certs.d/$REGISTRY_ADDR" "$MC_STATE/pod-logs"

cat > "$MC_STATE/containerd.toml" <<TOML
version = 3
root = "$MC_STATE/containerd"
state = "$CONTAINERD_STATE"

[grpc]
  address = "$CONTAINERD_SOCK"

[plugins.'io.containerd.cri.v1.images']
  snapshotter = 'overlayfs'
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = '$REGISTRY_ADDR/pause:3.10'
  [plugins.'io.containerd.cri.v1.images'.registry]
    config_path = '$MC_STATE/certs.d'

[plugins.'io.containerd.cri.v1.runtime']
  netns_mounts_under_state_dir = true
  # These machines withhold CAP_SYS_RESOURCE even from root, so no process may lower its OOM score;
  # the kubelet asks for -998 on sandboxes. Clamp to containerd's own score instead of failing.
  restrict_oom_score_adj = true
  enable_unprivileged_ports = true
  [plugins.'io.containerd.cri.v1.runtime'.containerd]
    default_runtime_name = 'runc'
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
      runtime_type = 'io.containerd.runc.v2'
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
        BinaryName = '$(bin_dir runc "$RUNC_VERSION")/runc'
        SystemdCgroup = false
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = ['$CNI_BIN']
    conf_dir = '$MC_STATE/cni/net.d'
TOML

cat > "$MC_STATE/certs.d/$REGISTRY_ADDR/hosts.toml" <<TOML
server = "http://$REGISTRY_ADDR"
[host."http://$REGISTRY_ADDR"]
  capabilities = ["pull", "resolve", "push"]
TOML

# No masquerading: pods only talk to this node, each other and the API server on the bridge.
cat > "$MC_STATE/cni/net.d/10-model-canary.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "model-canary",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$POD_CIDR", "gateway": "$NODE_IP" }]],
        "routes": [{ "dst": "0.0.0.0/0" }],
        "dataDir": "$MC_STATE/cni/ipam"
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
JSON

cat > "$MC_STATE/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: $PKI/ca.crt }
authorization: { mode: Webhook }
tlsCertFile: $PKI/kubelet-server.crt
tlsPrivateKeyFile: $PKI/kubelet-server.key
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
clusterDomain: cluster.local
clusterDNS: [$DNS_SERVICE_IP]
# Pods inherit no host resolver: nothing in the cluster asks a name server outside this machine.
resolvConf: ""
podLogsDir: $MC_STATE/pod-logs
address: $NODE_IP
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
maxPods: 60
serializeImagePulls: false
# Shared test machines run with little free disk: evict only when it is nearly gone.
evictionHard: { memory.available: "200Mi", nodefs.available: "1%", imagefs.available: "1%" }
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
YAML

cat > "$MC_STATE/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: { kubeconfig: $PKI/kube-proxy.kubeconfig }
mode: iptables
clusterCIDR: $POD_CIDR
hostnameOverride: $NODE_NAME
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
conntrack: { maxPerCore: 0 }
YAML

sed -e "s|@DNS_SERVICE_IP@|$DNS_SERVICE_IP|g" -e "s|@IMAGE@|$REGISTRY_ADDR/coredns:$COREDNS_VERSION|g" \
  "$CLUSTER_DIR/manifests/coredns.yaml" > "$MC_STATE/coredns.yaml"
