#!/usr/bin/env bash
# Mints a kubeconfig for a ServiceAccount, so a test (or you) can run the deployer with exactly that
# account's permissions instead of admin. Usage: cluster/sa-kubeconfig.sh NAMESPACE SERVICEACCOUNT OUT [DURATION]
source "$(dirname "$0")/lib.sh"
[[ $# -ge 3 ]] || die "usage: cluster/sa-kubeconfig.sh NAMESPACE SERVICEACCOUNT OUT [DURATION]"
ns="$1" sa="$2" out="$3" duration="${4:-2h}"
token="$(kubectl_admin -n "$ns" create token "$sa" --duration "$duration")" || die "could not mint a token for $ns/$sa"
umask 077
cat > "$out" <<KC
apiVersion: v1
kind: Config
clusters:
- name: model-canary
  cluster:
    server: $APISERVER_URL
    certificate-authority-data: $(base64 -w0 < "$MC_STATE/pki/ca.crt")
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
