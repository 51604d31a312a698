#!/usr/bin/env bash
# Gateway API on the local cluster, for the `traffic` canary strategy: the Gateway API CRDs (standard
# channel, from the sigs.k8s.io/gateway-api module at GATEWAY_API_VERSION) and Traefik (TRAEFIK_VERSION,
# built from the Go module proxy once into $MC_CACHE/bin/traefik-<version>) running on this host as the
# Gateway controller, with a GatewayClass `model-canary` and a Gateway `model-canary/model-canary` whose
# HTTP listener is Traefik's entrypoint at $GATEWAY_ADDR. Routes from every namespace may attach to it.
#
# Usage: cluster/gateway.sh [build|up|down]
#   build  build Traefik only (nothing else; a cached build is kept)
#   up     (default) build if needed, install the CRDs, start Traefik, apply the GatewayClass and Gateway,
#          wait until the Gateway is Programmed. Idempotent. Needs the cluster up (cluster/up.sh).
#   down   stop Traefik (cluster/down.sh does this too)
source "$(dirname "$0")/lib.sh"

GATEWAY_PORT="${MODEL_CANARY_GATEWAY_PORT:-18080}"
GATEWAY_ADDR="127.0.0.1:$GATEWAY_PORT"
TRAEFIK_BIN="$(bin_dir traefik "$TRAEFIK_VERSION")/traefik"

# What the module proxy cannot give us, worked around in the build copy (nothing here changes how Traefik
# routes HTTP; see the README's "Gateway API" note):
# - the extension module github.com/traefik/traefik/dynamic/ext is replaced by a directory the module zip
#   leaves out: it holds two structs that are empty in the open-source build, written here;
# - the containous fork of go-http-auth (basic/digest auth middlewares) is not served: upstream v0.4.0 is,
#   with the two functions the fork adds;
# - lego's DNS providers for ACME DNS challenges whose SDKs are not served are dropped from lego's
#   provider list (ACME is never used here).
LEGO_DROPPED=(alidns aliesa azion dnsimple edgedns edgeone huaweicloud oraclecloud regfish sakuracloud tencentcloud ucloud yandexcloud)
patch_traefik() {
  local dir="$1"
  mkdir -p "$dir/pkg/config/dynamic/ext"
  printf 'module github.com/traefik/traefik/dynamic/ext\n\ngo 1.24\n' > "$dir/pkg/config/dynamic/ext/go.mod"
  printf '// Package ext holds extension points of the dynamic configuration; empty in the open-source build.\npackage ext\n\n// HTTP extends dynamic.HTTPConfiguration.\ntype HTTP struct{}\n\n// Router extends dynamic.Router.\ntype Router struct{}\n' > "$dir/pkg/config/dynamic/ext/ext.go"
  local lego_version lego_dir
  lego_version="$(cd "$dir" && go list -m -f '{{.Version}}' github.com/go-acme/lego/v5)"
  lego_dir="$(go mod download -json "github.com/go-acme/lego/v5@$lego_version" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  cp -r "$lego_dir" "$dir/third_party-lego"; chmod -R u+w "$dir/third_party-lego"
  local gen="$dir/third_party-lego/providers/dns/zz_gen_dns_providers.go" p
  for p in "${LEGO_DROPPED[@]}"; do
    # the import line, and the case with its one return line
    sed -i -e "\#/providers/dns/$p\"\$#d" -e "/^\tcase \"$p\"[,:]/,/^\t\treturn /d" "$gen"
  done
  # Upstream go-http-auth v0.4.0 lacks two functions the fork adds and Traefik calls; written here from
  # upstream's own code (the hash comparison of BasicAuth.CheckAuth, the challenge of RequireAuth).
  local auth_dir
  auth_dir="$(go mod download -json github.com/abbot/go-http-auth@v0.4.0 | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  cp -r "$auth_dir" "$dir/third_party-go-http-auth"; chmod -R u+w "$dir/third_party-go-http-auth"
  [[ -f "$dir/third_party-go-http-auth/go.mod" ]] || printf 'module github.com/abbot/go-http-auth\n\ngo 1.12\n' > "$dir/third_party-go-http-auth/go.mod"
  cat > "$dir/third_party-go-http-auth/fork_compat.go" <<'GO'
package auth

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// CheckSecret reports whether password matches secret, hashed in any format BasicAuth accepts.
func CheckSecret(password, secret string) bool {
	compare := compareFuncs[0].compare
	for _, cmp := range compareFuncs[1:] {
		if strings.HasPrefix(secret, cmp.prefix) {
			compare = cmp.compare
			break
		}
	}
	return compare([]byte(secret), []byte(password)) == nil
}

// RequireAuthStale is RequireAuth telling the client its nonce was stale.
func (a *DigestAuth) RequireAuthStale(w http.ResponseWriter, r *http.Request) {
	if len(a.clients) > a.ClientCacheSize+a.ClientCacheTolerance {
		a.Purge(a.ClientCacheTolerance * 2)
	}
	nonce := RandomKey()
	a.clients[nonce] = &digest_client{nc: 0, last_seen: time.Now().UnixNano()}
	w.Header().Set(contentType, a.Headers.V().UnauthContentType)
	w.Header().Set(a.Headers.V().Authenticate,
		fmt.Sprintf(`Digest realm="%s", nonce="%s", opaque="%s", algorithm="MD5", qop="auth", stale=true`,
			a.Realm, nonce, a.Opaque))
	w.WriteHeader(a.Headers.V().UnauthCode)
	_, _ = w.Write([]byte(a.Headers.V().UnauthResponse))
}
GO
  (cd "$dir" && go mod edit -replace github.com/abbot/go-http-auth=./third_party-go-http-auth \
    -replace github.com/go-acme/lego/v5=./third_party-lego)
}

build_traefik() {
  local out; out="$(bin_dir traefik "$TRAEFIK_VERSION")"
  [[ -f "$out/.complete" ]] && return 0
  log "building traefik $TRAEFIK_VERSION (first time only)"
  local start=$SECONDS
  # Traefik's go.mod has replace directives, so `go install` is refused: build it inside a writable copy
  # of the module (its zip holds webui/static, which the binary embeds).
  local moddir dir="$MC_CACHE/src/traefik-$TRAEFIK_VERSION"
  moddir="$(go mod download -json "github.com/traefik/traefik/v3@$TRAEFIK_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  [[ -n "$moddir" && -d "$moddir" ]] || die "downloading traefik $TRAEFIK_VERSION from the Go module proxy failed (see above)"
  rm -rf "$dir"; mkdir -p "$(dirname "$dir")"
  cp -r "$moddir" "$dir"; chmod -R u+w "$dir"
  patch_traefik "$dir"
  mkdir -p "$out"
  (cd "$dir" && go build -trimpath \
    -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION" \
    -o "$out/traefik" ./cmd/traefik) || die "building traefik $TRAEFIK_VERSION failed (see above); rerun cluster/gateway.sh build"
  touch "$out/.complete"
  log "traefik built in $((SECONDS - start))s"
  printf '%s\t%s\t%s\n' traefik "$((SECONDS - start))" "$(date -u +%FT%TZ)" >> "$MC_CACHE/build-times.tsv"
}

# The standard-channel CRDs of the Gateway API release (GatewayClass, Gateway, HTTPRoute, ReferenceGrant, ...).
install_crds() {
  local dir
  dir="$(go mod download -json "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  [[ -n "$dir" && -d "$dir/config/crd/standard" ]] || die "downloading sigs.k8s.io/gateway-api $GATEWAY_API_VERSION from the Go module proxy failed (see above)"
  kubectl_admin apply --server-side --force-conflicts --field-manager=model-canary-cluster -f "$dir/config/crd/standard/" >/dev/null \
    || die "installing the Gateway API CRDs failed (see above)"
  # The folder also holds a ValidatingAdmissionPolicy (safe-upgrades); only the CRDs get Established.
  local crds
  crds="$(kubectl_admin get -f "$dir/config/crd/standard/" -o name | grep '^customresourcedefinition')"
  # shellcheck disable=SC2086
  kubectl_admin wait --for=condition=Established --timeout=60s $crds >/dev/null \
    || die "the Gateway API CRDs were not established within 60s"
}

gateway_up() {
  build_traefik
  bash "$CLUSTER_DIR/status.sh" --quiet || die "the cluster is not up; run cluster/up.sh first"
  install_crds
  mkdir -p "$MC_RUN" "$MC_LOGS"
  # A host process like the control plane: it reaches pods on the node's bridge, the API with the admin
  # kubeconfig. No version checks or usage reports (nothing may reach the internet).
  KUBECONFIG="$MC_KUBECONFIG" start traefik "$TRAEFIK_BIN" \
    --global.checkNewVersion=false --global.sendAnonymousUsage=false \
    --entryPoints.web.address="$GATEWAY_ADDR" --entryPoints.traefik.address="127.0.0.1:$((GATEWAY_PORT + 1))" \
    --ping=true --log.level=INFO --log.noColor=true --providers.providersThrottleDuration=200ms \
    --providers.kubernetesGateway=true --providers.kubernetesGateway.statusAddress.ip=127.0.0.1
  wait_for traefik 30 curl -sf "http://127.0.0.1:$((GATEWAY_PORT + 1))/ping"
  kubectl_admin apply --server-side --field-manager=model-canary-cluster -f - >/dev/null <<YAML || fail traefik "applying the GatewayClass and Gateway failed"
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: model-canary }
spec: { controllerName: traefik.io/gateway-controller }
---
apiVersion: v1
kind: Namespace
metadata: { name: model-canary-gateway }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: model-canary, namespace: model-canary-gateway }
spec:
  gatewayClassName: model-canary
  listeners:
    - name: http
      protocol: HTTP
      port: $GATEWAY_PORT
      allowedRoutes: { namespaces: { from: All } }
YAML
  kubectl_admin -n model-canary-gateway wait --for=condition=Programmed gateway/model-canary --timeout=60s >/dev/null \
    || fail traefik "Traefik did not program the Gateway model-canary-gateway/model-canary within 60s"
  log "gateway up: Traefik $TRAEFIK_VERSION serves Gateway model-canary-gateway/model-canary at http://$GATEWAY_ADDR"
  echo "http://$GATEWAY_ADDR"
}

gateway_down() {
  local f; f="$(pid_file traefik)"
  [[ -f "$f" ]] || return 0
  local pid; pid="$(cat "$f")"
  if [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF "$TRAEFIK_BIN"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

case "${1:-up}" in
  build) build_traefik ;;
  up) source "$CLUSTER_DIR/start-lib.sh"; gateway_up ;;
  down) gateway_down ;;
  *) die "usage: cluster/gateway.sh [build|up|down]" ;;
esac
