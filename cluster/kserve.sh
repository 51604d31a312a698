#!/usr/bin/env bash
# KServe (KSERVE_VERSION) on the local cluster, in Standard (RawDeployment) mode with the Gateway API, for
# the `kserve` canary strategy against a real KServe controller:
#   the CRDs            from the Go module (config/crd/full: InferenceService, ServingRuntime,
#                       ClusterServingRuntime, TrainedModel, InferenceGraph, ClusterStorageContainer; the
#                       manager watches the first five and the pod mutator lists the last)
#   the controller      cmd/manager, built from the Go module proxy once into $MC_CACHE/bin/kserve-<version>,
#                       running on this host like the control plane (pid file, log in the logs folder,
#                       stopped by cluster:down) as the ServiceAccount kserve/kserve-controller-manager bound
#                       to KServe's own ClusterRole (config/rbac/role.yaml); its webhooks (config/webhook)
#                       are registered with the node address, where it listens with a certificate of the
#                       cluster CA (cluster/pki.sh)
#   inferenceservice-config  the module's ConfigMap with: default deployment mode Standard; the Gateway API
#                       on, HTTPRoutes attached to cluster/gateway.sh's Gateway $KSERVE_GATEWAY; hosts
#                       <name>-<namespace>.$KSERVE_INGRESS_DOMAIN (send that Host header to $GATEWAY_ADDR);
#                       model cars off; pod defaults sized for this node
#   ClusterServingRuntime kserve-sklearnserver  sklearn v1 models, protocols v1 and v2, on an image built
#                       here (cluster/images/kserve-sklearnserver: KServe's python/sklearnserver from the
#                       module, the kserve wheel and its dependencies from PyPI, Debian's scikit-learn: the
#                       host's version, so a model pickled by /usr/bin/python3 here loads there)
# Model storage: pvc://<claim>/<dir> only. KServe mounts the claim's <dir> at /mnt/models itself, with no
# storage-initializer container (whose image is not built here: s3://, gs://, https:// and oci:// model URIs
# do not work on this cluster). `model-volume` makes such a claim on a host folder.
# What KServe v0.20 does with spec.canary in Standard mode (seen on this cluster, see docs/local-cluster.md):
# a Deployment and Service {isvc}-{canary name}-predictor per entry, trafficPercent sizing its replicas
# (ceil(stable minReplicas x percent / 100), taken off stable's), status.canaryStatuses and the condition
# CanaryPredictorReady; its HTTPRoutes send every request to stable's Service: the percent routes nothing.
# InferenceServices carry KServe's finalizer: delete them (or their namespace) while the controller runs.
#
# Usage: cluster/kserve.sh [build [manager|image]...|up|down|status|model-volume NAMESPACE CLAIM HOSTDIR
#                          |delete-model-volume NAMESPACE CLAIM]
#   build    build what is missing (nothing else; cached builds are kept): the controller (manager) and the
#            runtime's image (image: needs dockerd and the registry, so the cluster up)
#   up       (default) build if needed, install the CRDs and objects, start the controller, register its
#            webhooks, wait until it is healthy and they answer, apply the ClusterServingRuntime.
#            Idempotent: again while up it only checks. Needs the cluster and its Gateway up (cluster/up.sh).
#   down     unregister the webhooks (while the API server answers: with the controller gone they would
#            refuse every InferenceService and its pods), stop the controller, remove its state
#   status   say what runs
#   model-volume NAMESPACE CLAIM HOSTDIR   (as admin) a PersistentVolume on the host folder HOSTDIR (made
#            readable to the model server's user: chmod -R a+rX) and a claim CLAIM in NAMESPACE bound to it;
#            a model in HOSTDIR/<dir>/model.joblib is then storageUri pvc://CLAIM/<dir>. The volume is
#            cluster-scoped and outlives the namespace: delete-model-volume (or cluster:down) removes it.
source "$(dirname "$0")/lib.sh"

PKI="$MC_STATE/pki"
STATE="$MC_STATE/kserve"
KSERVE_BIN="$(bin_dir kserve "$KSERVE_VERSION")/manager"
KSERVE_MODULE="github.com/kserve/kserve"
# The Gateway cluster/gateway.sh makes; KServe's HTTPRoutes attach to it.
KSERVE_GATEWAY="model-canary-gateway/model-canary"
GATEWAY_ADDR="127.0.0.1:${MODEL_CANARY_GATEWAY_PORT:-18080}"
KSERVE_IMAGE_REPO="kserve/sklearnserver"
IMAGE_SRC="$CLUSTER_DIR/images/kserve-sklearnserver"
# The model templates' slimming step (compilers, pip, caches, test suites out), shared with this image.
SLIM_SH="$REPO_DIR/templates/docker/tools/slim.sh"
# The base image's Debian Python and ML stack (cluster/images.sh base).
BASE_IMAGE="$REGISTRY_ADDR/model-canary/debian-ml:bookworm"
# The webhooks the manager serves (cmd/manager/main.go), as config/webhook/manifests.yaml registers them.
WEBHOOK_CONFIGS=(mutatingwebhookconfiguration/inferenceservice.serving.kserve.io
  validatingwebhookconfiguration/inferenceservice.serving.kserve.io
  validatingwebhookconfiguration/trainedmodel.serving.kserve.io
  validatingwebhookconfiguration/inferencegraph.serving.kserve.io
  validatingwebhookconfiguration/clusterservingruntime.serving.kserve.io
  validatingwebhookconfiguration/servingruntime.serving.kserve.io)
CRD_FILES=(serving.kserve.io_inferenceservices.yaml serving.kserve.io_servingruntimes.yaml
  serving.kserve.io_clusterservingruntimes.yaml serving.kserve.io_trainedmodels.yaml
  serving.kserve.io_inferencegraphs.yaml clusterstoragecontainer/serving.kserve.io_clusterstoragecontainers.yaml)

module_dir() { # the KServe module's folder in the module cache (downloaded from the module proxy once)
  local dir
  dir="$(go mod download -json "$KSERVE_MODULE@$KSERVE_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  [[ -n "$dir" && -d "$dir" ]] || die "downloading $KSERVE_MODULE $KSERVE_VERSION from the Go module proxy failed (see above)"
  echo "$dir"
}

# --- build ----------------------------------------------------------------------------------------------
# The module's go.mod has replace directives (controller-runtime, k8s.io/*, grpc, ...), so `go install
# pkg@version` is refused: the manager is built inside a writable copy of what KServe's own Dockerfile
# copies (go.mod, go.sum, cmd/, pkg/). One addition in the copy, nothing that changes what KServe does:
# upstream's manager has no flag for the webhook server's address and certificate folder (it listens on
# every interface, certificates from the temp folder); --webhook-host and --webhook-cert-dir set them, so
# it listens on the node address only, like the other servers here.
patch_manager() {
  local dir="$1"
  cat > "$dir/cmd/manager/model_canary_flags.go" <<'GO'
package main

import "flag"

// Added by model-canary's cluster/kserve.sh in its build copy: where the webhook server listens and
// which folder holds its tls.crt and tls.key (controller-runtime's defaults: every interface, the temp folder).
var (
	webhookHost    = flag.String("webhook-host", "", "The address the webhook server binds to (default: every interface).")
	webhookCertDir = flag.String("webhook-cert-dir", "", "The folder with the webhook server's tls.crt and tls.key.")
)
GO
  grep -q 'Port: options.webhookPort,$' "$dir/cmd/manager/main.go" || die "cmd/manager/main.go of $KSERVE_VERSION has no 'Port: options.webhookPort,' line to add the webhook flags to"
  sed -i 's/Port: options.webhookPort,$/Port: options.webhookPort, Host: *webhookHost, CertDir: *webhookCertDir,/' "$dir/cmd/manager/main.go"
}

build_manager() {
  [[ -f "$(dirname "$KSERVE_BIN")/.complete" ]] && return 0
  log "building the KServe controller $KSERVE_VERSION (first time only)"
  local moddir dir="$MC_CACHE/src/kserve-$KSERVE_VERSION"
  moddir="$(module_dir)" || return 1
  rm -rf "$dir"; mkdir -p "$dir" "$(dirname "$KSERVE_BIN")"
  cp -r "$moddir/go.mod" "$moddir/go.sum" "$moddir/cmd" "$moddir/pkg" "$dir/" || return 1
  chmod -R u+w "$dir"
  patch_manager "$dir"
  (cd "$dir" && go build -trimpath -ldflags "-s -w" -o "$KSERVE_BIN" ./cmd/manager) || return 1
  rm -rf "$dir"
  touch "$(dirname "$KSERVE_BIN")/.complete"
}

registry_has() { # repo tag
  curl -sf -o /dev/null -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY_ADDR/v2/$1/manifests/$2"
}
# The runtime image's tag: the KServe version and a key of its inputs (the Dockerfile, the requirements, the
# base image's digest), so a change to any of them builds a new image and the runtime names it.
image_tag() {
  local base_digest
  base_digest="$(curl -sf -I -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY_ADDR/v2/model-canary/debian-ml/manifests/bookworm" | tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p')"
  [[ -n "$base_digest" ]] || die "the base image $BASE_IMAGE is not in the registry; run cluster/images.sh base (cluster/up.sh does)"
  echo "$KSERVE_VERSION-$(cat "$IMAGE_SRC/Dockerfile" "$IMAGE_SRC/requirements.txt" "$SLIM_SH" <(echo "$KSERVE_VERSION $base_digest") | sha256sum | cut -c1-12)"
}
runtime_image() { echo "$REGISTRY_ADDR/$KSERVE_IMAGE_REPO:$(image_tag)"; }

# The wheels of requirements.txt and their dependencies (CPython 3.11, the base image's), downloaded on the
# host once (image builds have no network here) into a cache folder keyed by the file, as the e2e tests'
# wheelhouses are (test/e2e/smoke-support.ts).
wheelhouse() {
  local key dir
  key="$(sha256sum < "$IMAGE_SRC/requirements.txt" | cut -c1-16)"
  dir="$MC_CACHE/wheelhouse/kserve-sklearnserver-$key"
  if [[ ! -d "$dir" ]]; then
    local pip=(pip); command -v pip >/dev/null || pip=(python3 -m pip)
    local partial="$dir.partial-$$" p platforms=()
    for p in manylinux2014_x86_64 manylinux_2_17_x86_64 manylinux_2_28_x86_64 any; do platforms+=(--platform "$p"); done
    rm -rf "$partial"; mkdir -p "$partial"
    "${pip[@]}" download -q --disable-pip-version-check --only-binary=:all: --python-version 3.11 --implementation cp \
      --abi cp311 "${platforms[@]}" -r "$IMAGE_SRC/requirements.txt" -d "$partial" >&2 || { rm -rf "$partial"; return 1; }
    mv "$partial" "$dir"
  fi
  echo "$dir"
}

build_image() {
  docker info >/dev/null 2>&1 || die "dockerd is not running; the runtime image is built on the cluster (cluster/up.sh)"
  curl -sf -o /dev/null "http://$REGISTRY_ADDR/v2/" || die "the registry at $REGISTRY_ADDR does not answer; run cluster/up.sh"
  grep -qx "kserve==${KSERVE_VERSION#v}" "$IMAGE_SRC/requirements.txt" \
    || die "$IMAGE_SRC/requirements.txt does not pin kserve==${KSERVE_VERSION#v} (KSERVE_VERSION); the server must match the controller"
  local tag; tag="$(image_tag)" || return 1
  registry_has "$KSERVE_IMAGE_REPO" "$tag" && return 0
  log "building the KServe sklearnserver image $tag (first time only)"
  local moddir wheels ctx="$MC_CACHE/images/kserve-sklearnserver"
  moddir="$(module_dir)" || return 1
  wheels="$(wheelhouse)" || return 1
  rm -rf "$ctx"; mkdir -p "$ctx"
  cp "$IMAGE_SRC/Dockerfile" "$IMAGE_SRC/requirements.txt" "$SLIM_SH" "$ctx/"
  cp -r "$wheels" "$ctx/wheels"
  # KServe's own server code at the module's version, as its sklearn.Dockerfile copies it (no tests).
  cp -r "$moddir/python/sklearnserver/sklearnserver" "$ctx/sklearnserver"
  cp -r "$moddir/python/storage/kserve_storage" "$ctx/kserve_storage"
  cp "$moddir/LICENSE" "$ctx/LICENSE"
  chmod -R u+w "$ctx"; rm -rf "$ctx/sklearnserver/example_models" "$ctx"/sklearnserver/test_*.py
  local ref="$REGISTRY_ADDR/$KSERVE_IMAGE_REPO"
  docker build -q --build-arg "BASE_IMAGE=$BASE_IMAGE" -t "$ref:$tag" -t "$ref:$KSERVE_VERSION" "$ctx" >/dev/null || return 1
  docker push -q "$ref:$tag" >/dev/null && docker push -q "$ref:$KSERVE_VERSION" >/dev/null || return 1
  rm -rf "$ctx"
  log "pushed $KSERVE_IMAGE_REPO:$tag (and :$KSERVE_VERSION)"
}

build_all() { # [manager|image...] (default: both)
  local c targets=("$@")
  [[ ${#targets[@]} -gt 0 ]] || targets=(manager image)
  for c in "${targets[@]}"; do
    case "$c" in
      manager) timed kserve build_manager ;;
      image) timed kserve-sklearnserver build_image ;;
      *) die "nothing to build called $c: manager or image" ;;
    esac
  done
}

# --- up -------------------------------------------------------------------------------------------------
kapply() { # server-side apply of stdin or -f ..., as the cluster's field manager
  kubectl_admin apply --server-side --force-conflicts --field-manager=model-canary-cluster "$@" >/dev/null
}

install_crds() {
  local dir="$1/config/crd/full" f args=()
  for f in "${CRD_FILES[@]}"; do args+=(-f "$dir/$f"); done
  kapply "${args[@]}" || die "installing the KServe CRDs failed (see above)"
  # shellcheck disable=SC2046
  kubectl_admin wait --for=condition=Established --timeout=60s $(kubectl_admin get "${args[@]}" -o name) >/dev/null \
    || die "the KServe CRDs were not established within 60s"
}

# The module's inferenceservice-config with what differs here (each key is a JSON document):
#   deploy              Standard (RawDeployment) unless an InferenceService's annotation says otherwise
#   ingress             the Gateway API, attached to cluster/gateway.sh's Gateway; ingressGateway (for Knative
#                       mode, which is not installed) must name something, so the same Gateway
#   storageInitializer  model cars off; an image that is not built (only pvc:// model URIs, which need no
#                       init container, work here)
#   inferenceService    default requests of a predictor that names none, sized for a 2-core node
config_patch() {
  jq -cn --arg gw "$KSERVE_GATEWAY" --arg domain "$KSERVE_INGRESS_DOMAIN" --arg si "$REGISTRY_ADDR/kserve/storage-initializer:$KSERVE_VERSION" '{data: {
    deploy: ({defaultDeploymentMode: "Standard"} | tojson),
    ingress: ({enableGatewayApi: true, kserveIngressGateway: $gw, ingressGateway: $gw, ingressDomain: $domain,
      domainTemplate: "{{ .Name }}-{{ .Namespace }}.{{ .IngressDomain }}", urlScheme: "http",
      disableIstioVirtualHost: true, disableIngressCreation: false, disableHTTPRouteTimeout: false} | tojson),
    storageInitializer: ({image: $si, memoryRequest: "100Mi", memoryLimit: "1Gi", cpuRequest: "100m", cpuLimit: "1",
      caBundleConfigMapName: "", caBundleVolumeMountPath: "/etc/ssl/custom-certs", enableModelcar: false,
      cpuModelcar: "10m", memoryModelcar: "15Mi", uidModelcar: 1010} | tojson),
    inferenceService: ({resource: {cpuRequest: "100m", memoryRequest: "256Mi", cpuLimit: "1", memoryLimit: "1Gi"}} | tojson)
  }}'
}

apply_objects() {
  local moddir="$1"
  kapply -f - <<YAML || die "applying the KServe namespace and ServiceAccount failed"
apiVersion: v1
kind: Namespace
metadata:
  name: $KSERVE_NAMESPACE
  # As KServe's install labels it: the pod mutator leaves this namespace alone.
  labels: { control-plane: kserve-controller-manager }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: kserve-controller-manager, namespace: $KSERVE_NAMESPACE }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: kserve-manager-rolebinding }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kserve-manager-role }
subjects: [{ kind: ServiceAccount, name: kserve-controller-manager, namespace: $KSERVE_NAMESPACE }]
YAML
  # KServe's ClusterRole as the module has it.
  kapply -f "$moddir/config/rbac/role.yaml" || die "applying KServe's ClusterRole failed"
  local cm="$STATE/inferenceservice-config.yaml"
  kubectl_admin patch --local -f "$moddir/config/configmap/inferenceservice.yaml" --type merge -p "$(config_patch)" -o yaml > "$cm" \
    || die "adapting the module's inferenceservice-config failed"
  kapply -n "$KSERVE_NAMESPACE" -f "$cm" || die "applying the inferenceservice-config ConfigMap failed"
}

# config/webhook/manifests.yaml with each service reference (name, namespace, path) turned into the URL on
# the node address and the cluster CA as the bundle; checked to leave no service reference behind.
apply_webhooks() {
  local moddir="$1" ca out="$STATE/webhooks.yaml"
  ca="$(base64 -w0 < "$PKI/ca.crt")"
  sed -E -e '/^ *service:$/d' -e '/\$\(webhookServiceName\)|\$\(kserveNamespace\)/d' -e '/creationTimestamp: null/d' \
    -e "s#^( *)path: (/.*)\$#\\1url: https://$NODE_IP:$KSERVE_WEBHOOK_PORT\\2\\n\\1caBundle: $ca#" \
    "$moddir/config/webhook/manifests.yaml" > "$out"
  local hooks urls
  hooks="$(grep -c '^  - clientConfig:' "$out")"; urls="$(grep -c "url: https://$NODE_IP:" "$out")"
  [[ "$hooks" -gt 0 && "$hooks" == "$urls" ]] && ! grep -qE 'service:|\$\(' "$out" \
    || die "config/webhook/manifests.yaml of $KSERVE_VERSION is not in the shape this script rewrites ($hooks webhooks, $urls URLs); see $out"
  kapply -f "$out" || die "registering the KServe webhooks failed"
}

# A kubeconfig with a token of the controller's ServiceAccount (cluster/sa-kubeconfig.sh), as metrics.sh does.
manager_kubeconfig() {
  [[ -s "$STATE/kserve-controller-manager.kubeconfig" ]] && return 0
  bash "$CLUSTER_DIR/sa-kubeconfig.sh" "$KSERVE_NAMESPACE" kserve-controller-manager "$STATE/kserve-controller-manager.kubeconfig" 8760h >/dev/null
}

# What a server-side dry run of an InferenceService gets: the defaulter and the validator both answered
# when it is accepted (the dry run goes through every webhook and creates nothing).
webhooks_answer() {
  kubectl_admin -n "$KSERVE_NAMESPACE" create --dry-run=server -o name --request-timeout=15s -f - >/dev/null 2>"$STATE/webhook-check.err" <<YAML
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: { name: webhook-check, annotations: { serving.kserve.io/deploymentMode: Standard } }
spec: { predictor: { model: { modelFormat: { name: sklearn }, storageUri: "pvc://webhook-check/model" } } }
YAML
}

apply_runtime() {
  local image; image="$(runtime_image)"
  kapply -f - <<YAML || die "applying the ClusterServingRuntime kserve-sklearnserver failed"
# KServe's config/runtimes/kserve-sklearnserver.yaml on the image built here, with requests that fit this node
# and a seccomp profile, so its pods pass Pod Security "restricted".
apiVersion: serving.kserve.io/v1alpha1
kind: ClusterServingRuntime
metadata:
  name: kserve-sklearnserver
  annotations: { serving.kserve.io/server-type: sklearnserver }
spec:
  annotations: { prometheus.kserve.io/port: "8080", prometheus.kserve.io/path: /metrics }
  supportedModelFormats:
    - { name: sklearn, version: "1", autoSelect: true, priority: 1 }
  protocolVersions: [v1, v2]
  containers:
    - name: kserve-container
      image: $image
      args: ["--model_name={{.Name}}", --model_dir=/mnt/models, --http_port=8080]
      securityContext:
        allowPrivilegeEscalation: false
        privileged: false
        runAsNonRoot: true
        capabilities: { drop: [ALL] }
        seccompProfile: { type: RuntimeDefault }
      resources:
        requests: { cpu: 100m, memory: 256Mi }
        limits: { cpu: "1", memory: 1Gi }
YAML
}

kserve_up() {
  build_all manager
  source "$CLUSTER_DIR/start-lib.sh"
  bash "$CLUSTER_DIR/status.sh" --quiet || die "the cluster is not up; run cluster/up.sh first"
  kubectl_admin get gateway -n "${KSERVE_GATEWAY%/*}" "${KSERVE_GATEWAY#*/}" >/dev/null 2>&1 \
    || die "the Gateway $KSERVE_GATEWAY does not exist; run cluster/gateway.sh up first"
  build_all image
  bash "$CLUSTER_DIR/pki.sh"
  mkdir -p "$STATE/webhook-certs" "$MC_RUN" "$MC_LOGS"; chmod 700 "$STATE"
  local moddir; moddir="$(module_dir)"
  install_crds "$moddir"
  apply_objects "$moddir"
  manager_kubeconfig
  cp "$PKI/kserve-webhook.crt" "$STATE/webhook-certs/tls.crt"; cp "$PKI/kserve-webhook.key" "$STATE/webhook-certs/tls.key"
  # The working directory is the state folder: nothing lands in the caller's. No leader election (one
  # manager); metrics and the health probe on loopback; webhooks on the node address, where the API server
  # calls them.
  (cd "$STATE" && KUBECONFIG="$STATE/kserve-controller-manager.kubeconfig" POD_NAMESPACE="$KSERVE_NAMESPACE" \
    start kserve "$KSERVE_BIN" --leader-elect=false \
    --metrics-addr "127.0.0.1:$KSERVE_METRICS_PORT" --health-probe-addr "127.0.0.1:$KSERVE_PROBE_PORT" \
    --webhook-host "$NODE_IP" --webhook-port "$KSERVE_WEBHOOK_PORT" --webhook-cert-dir "$STATE/webhook-certs" \
    --zap-encoder console --zap-log-level info)
  wait_for kserve 90 curl -sf "http://127.0.0.1:$KSERVE_PROBE_PORT/readyz"
  apply_webhooks "$moddir"
  wait_for kserve 30 webhooks_answer
  apply_runtime
  log "kserve up: KServe $KSERVE_VERSION controller (Standard mode, Gateway API on $KSERVE_GATEWAY, hosts *.$KSERVE_INGRESS_DOMAIN at http://$GATEWAY_ADDR), ClusterServingRuntime kserve-sklearnserver"
  echo "http://$GATEWAY_ADDR"
}

# --- model volumes --------------------------------------------------------------------------------------
pv_name() { echo "kserve-model-$1-$2"; } # namespace claim

model_volume() { # namespace claim hostdir
  [[ $# -eq 3 ]] || die "usage: cluster/kserve.sh model-volume NAMESPACE CLAIM HOSTDIR"
  local ns="$1" claim="$2" dir="$3" pv; pv="$(pv_name "$1" "$2")"
  [[ "$dir" == /* && -d "$dir" ]] || die "HOSTDIR must be an existing folder given by its absolute path: $dir"
  # The model server runs as a user of its image (uid 1000), not root: it must read what the kubelet mounts.
  chmod -R a+rX "$dir"
  kapply -f - <<YAML || die "making the model volume $pv and claim $ns/$claim failed"
apiVersion: v1
kind: PersistentVolume
metadata:
  name: $pv
  labels: { model-canary.dev/kserve-model-volume: "true" }
spec:
  capacity: { storage: 1Gi }
  accessModes: [ReadOnlyMany]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: kserve-model
  claimRef: { namespace: $ns, name: $claim }
  hostPath: { path: "$dir", type: Directory }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: $claim, namespace: $ns }
spec:
  accessModes: [ReadOnlyMany]
  storageClassName: kserve-model
  volumeName: $pv
  resources: { requests: { storage: 1Gi } }
YAML
  kubectl_admin -n "$ns" wait --for=jsonpath='{.status.phase}'=Bound "pvc/$claim" --timeout=30s >/dev/null \
    || die "the claim $ns/$claim did not bind to $pv within 30s"
  echo "pvc://$claim"
}

delete_model_volume() { # namespace claim
  [[ $# -eq 2 ]] || die "usage: cluster/kserve.sh delete-model-volume NAMESPACE CLAIM"
  kubectl_admin -n "$1" delete pvc "$2" --ignore-not-found --wait=false >/dev/null
  kubectl_admin delete pv "$(pv_name "$1" "$2")" --ignore-not-found --wait=false >/dev/null
}

# --- down -----------------------------------------------------------------------------------------------
kserve_down() {
  if is_running kube-apiserver && [[ -f "$MC_KUBECONFIG" ]]; then
    kubectl_admin delete "${WEBHOOK_CONFIGS[@]}" --ignore-not-found --request-timeout=10s >/dev/null 2>&1 || true
  fi
  local f; f="$(pid_file kserve)"
  if [[ -f "$f" ]]; then
    local pid; pid="$(cat "$f")"
    if [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF "$MC_CACHE/bin/kserve-"; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  fi
  rm -rf "$STATE"
}

kserve_status() {
  local ok=true w
  if is_running kserve; then printf '%-24s running (pid %s)\n' kserve "$(cat "$(pid_file kserve)")"
  else printf '%-24s stopped\n' kserve; ok=false; fi
  printf '%-24s %s\n' kserve-healthz "$(curl -sf "http://127.0.0.1:$KSERVE_PROBE_PORT/healthz" 2>/dev/null || echo 'no answer')"
  for w in "${WEBHOOK_CONFIGS[@]}"; do
    printf '%-24s %s\n' "${w%%webhookconfiguration/*}-webhook" "${w#*/}: $(kubectl_admin get "$w" -o name --request-timeout=5s >/dev/null 2>&1 && echo registered || echo 'not registered')"
  done
  printf '%-24s %s\n' runtime "$(kubectl_admin get clusterservingruntime kserve-sklearnserver -o 'jsonpath={.spec.containers[0].image}' --request-timeout=5s 2>/dev/null || echo 'kserve-sklearnserver not applied')"
  printf '%-24s %s\n' ingress "HTTPRoutes on $KSERVE_GATEWAY, hosts <name>-<namespace>.$KSERVE_INGRESS_DOMAIN at http://$GATEWAY_ADDR"
  $ok
}

case "${1:-up}" in
  build) shift; build_all "$@" ;;
  up) kserve_up ;;
  down) kserve_down ;;
  status) kserve_status ;;
  model-volume) shift; model_volume "$@" ;;
  delete-model-volume) shift; delete_model_volume "$@" ;;
  *) die "usage: cluster/kserve.sh [build [manager|image]...|up|down|status|model-volume NAMESPACE CLAIM HOSTDIR|delete-model-volume NAMESPACE CLAIM]" ;;
esac
