#!/usr/bin/env bash
# Mints a kubeconfig for a ServiceAccount, so a test (or you) can run the deployer with exactly that
# account's permissions instead of admin. Usage: cluster/sa-kubeconfig.sh NAMESPACE SERVICEACCOUNT OUT [DURATION]
source "$(dirname "$0")/lib.sh"
[[ $# -ge 3 ]] || die "usage: cluster/sa-kubeconfig.sh NAMESPACE SERVICEACCOUNT OUT [DURATION]"
ns="$1" sa="$2" out="$3" duration="${4:-2h}"
token="$(kubectl_admin -n "$ns" create token "$sa" --duration "$duration")" || die "could not mint a token for $ns/$sa"
# The API server and its CA as the admin kubeconfig names them: the embedded cluster's, or yours
# (MODEL_CANARY_KUBECONFIG).
server="$(kubectl_admin config view --raw --minify --flatten -o jsonpath='{.clusters[0].cluster.server}')"
ca="$(kubectl_admin config view --raw --minify --flatten -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')"
[[ -n "$server" && -n "$ca" ]] || die "the admin kubeconfig names no server or no certificate-authority-data for its current context"
umask 077
cat > "$out" <<KC
apiVersion: v1
kind: Config
clusters:
- name: model-canary
  cluster:
    server: $server
    certificate-authority-data: $ca
users:
- name: $sa
  user:
    token: $token
contexts:
- name: $sa
  context: { cluster: model-canary, user: $sa, namespace: $ns }
current-context: $sa
KC
echo "$out"
