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
# - the containous fork of go-http-auth (basic/digest auth middlewares) is not served: upstream v0.4.0 is;
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
  (cd "$dir" && go mod edit -dropreplace github.com/abbot/go-http-auth -require github.com/abbot/go-http-auth@v0.4.0 \
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

case "${1:-up}" in
  build) build_traefik ;;
  *) die "usage: cluster/gateway.sh [build|up|down]" ;;
esac
