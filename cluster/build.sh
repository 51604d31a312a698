#!/usr/bin/env bash
# Builds every binary the local cluster and the tests need, from the Go module proxy, at the versions in
# versions.env, into $MC_CACHE/bin/<component>-<version>. A component already built is skipped, so a warm
# run builds nothing. Usage: cluster/build.sh [component...]
source "$(dirname "$0")/lib.sh"

build_done() { [[ -f "$(bin_dir "$1" "$2")/.complete" ]]; }
mark_done() { touch "$(bin_dir "$1" "$2")/.complete"; }

# A throwaway module per component: `go install pkg@version` is refused for modules with replace
# directives (kubernetes, etcd), so we require the module and build its commands from our own go.mod.
work_module() {
  local dir="$MC_CACHE/src/$1-$2"
  rm -rf "$dir"; mkdir -p "$dir"; echo "$dir"
}

build_kubernetes() {
  local v="$KUBERNETES_VERSION" out; out="$(bin_dir kubernetes "$v")"
  build_done kubernetes "$v" && return 0
  log "building kubernetes $v (first time only: this takes a while)"
  local dir; dir="$(work_module kubernetes "$v")"
  local staging="v0.${v#v1.}"
  local modfile; modfile="$(cd "$dir" && go mod download -json "k8s.io/kubernetes@$v" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  {
    echo "module local/kubernetes-build"
    echo "go 1.24.0"
    echo "require k8s.io/kubernetes $v"
    echo "replace ("
    sed -n 's#^\t\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\t\1 => \1 '"$staging"'#p' "$modfile"
    echo ")"
  } > "$dir/go.mod"
  local cmds=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
  {
    echo "//go:build tools"
    echo "package tools"
    echo "import ("
    for c in "${cmds[@]}"; do echo "  _ \"k8s.io/kubernetes/cmd/$c\""; done
    echo ")"
  } > "$dir/tools.go"
  local minor="${v#v1.}"; minor="${minor%%.*}"
  local ldflags="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $p.gitVersion=$v -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
    ldflags+=" -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  (cd "$dir" && go mod tidy >/dev/null 2>"$dir/tidy.log") || { cat "$dir/tidy.log" >&2; return 1; }
  mkdir -p "$out"
  local pkgs=(); for c in "${cmds[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  (cd "$dir" && go build -trimpath -ldflags "$ldflags" -o "$out/" "${pkgs[@]}") || return 1
  mark_done kubernetes "$v"
}

build_etcd() {
  local v="$ETCD_VERSION" out; out="$(bin_dir etcd "$v")"
  build_done etcd "$v" && return 0
  log "building etcd $v"
  local dir; dir="$(work_module etcd "$v")"
  printf 'module local/etcd-build\ngo 1.24.0\nrequire go.etcd.io/etcd/server/v3 %s\n' "$v" > "$dir/go.mod"
  # etcd's own main is one line over etcdmain; its root module cannot be installed directly.
  printf 'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n' > "$dir/main.go"
  (cd "$dir" && go mod tidy >/dev/null && go build -trimpath -ldflags "-s -w" -o "$out/etcd" .) || return 1
  mark_done etcd "$v"
}

# go install for modules without replace directives.
install_cmds() { install_cmds_tags "" "$@"; }
install_cmds_tags() { # tags component version module-path cmd...
  local tags="$1"; shift
  local name="$1" v="$2" mod="$3"; shift 3
  local out; out="$(bin_dir "$name" "$v")"
  build_done "$name" "$v" && return 0
  log "building $name $v"
  mkdir -p "$out"
  local c pkg
  for c in "$@"; do
    pkg="$mod/$c"; [[ "$c" == "." ]] && pkg="$mod"
    GOBIN="$out" go install -trimpath -tags "$tags" -ldflags "-s -w ${VERSION_LDFLAGS:-}" "$pkg@$v" || return 1
  done
  # go install names each binary after its package; one per command must now be there.
  (( $(find "$out" -maxdepth 1 -type f -perm -u+x | wc -l) >= $# )) || { log "$name: expected $# binaries in $out"; return 1; }
  mark_done "$name" "$v"
}

build_containerd() {
  install_cmds containerd "$CONTAINERD_VERSION" github.com/containerd/containerd/v2 \
    cmd/containerd cmd/containerd-shim-runc-v2 cmd/ctr
}
# runc links libseccomp (cgo): pods under Pod Security "restricted" run with seccomp RuntimeDefault.
# Debian's runc 1.1 cannot start containerd 2.x's sandboxes, so it is built here too.
build_runc() { CGO_ENABLED=1 install_cmds_tags seccomp runc "$RUNC_VERSION" github.com/opencontainers/runc .; }
build_crictl() { install_cmds crictl "$CRICTL_VERSION" sigs.k8s.io/cri-tools cmd/crictl; }

build_cni() {
  install_cmds cni-plugins "$CNI_PLUGINS_VERSION" github.com/containernetworking/plugins \
    plugins/main/bridge plugins/main/loopback plugins/ipam/host-local plugins/meta/portmap
}
build_coredns() { install_cmds coredns "$COREDNS_VERSION" github.com/coredns/coredns .; }
build_registry() { install_cmds registry "$REGISTRY_VERSION" github.com/distribution/distribution/v3 cmd/registry; }
# The docker CLI plugin: runners have buildx, Debian's docker.io has none, so the tests build it to run
# both the buildx and the legacy-builder paths for real.
build_buildx() {
  VERSION_LDFLAGS="-X github.com/docker/buildx/version.Version=$BUILDX_VERSION" \
    install_cmds buildx "$BUILDX_VERSION" github.com/docker/buildx cmd/buildx
}
# Helm's release builds stamp its version and the Kubernetes version templates see (.Capabilities);
# without them charts see Kubernetes v1.20 and a kubeVersion constraint fails.
build_helm() {
  local client_go minor
  client_go="$(go mod download -json "helm.sh/helm/v3@$HELM_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p' | xargs grep -m1 'k8s.io/client-go ' | awk '{print $2}')"
  minor="$(echo "$client_go" | cut -d. -f2)"
  VERSION_LDFLAGS="-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
  VERSION_LDFLAGS+=" -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$minor"
  VERSION_LDFLAGS+=" -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$minor"
  VERSION_LDFLAGS="$VERSION_LDFLAGS" install_cmds helm "$HELM_VERSION" helm.sh/helm/v3 cmd/helm
}
# Trivy uses encoding/json/v2, which Go ships behind an experiment flag.
# Release builds stamp the version in; without it `trivy --version` says "dev" and model-canary cannot
# check it is new enough.
build_trivy() {
  GOEXPERIMENT=jsonv2 VERSION_LDFLAGS="-X github.com/aquasecurity/trivy/pkg/version/app.ver=${TRIVY_VERSION#v}" \
    install_cmds trivy "$TRIVY_VERSION" github.com/aquasecurity/trivy cmd/trivy
}
build_actionlint() { install_cmds actionlint "$ACTIONLINT_VERSION" github.com/rhysd/actionlint cmd/actionlint; }

all=(kubernetes etcd containerd runc crictl cni coredns registry buildx helm actionlint trivy)
targets=("$@"); [[ ${#targets[@]} -gt 0 ]] || targets=("${all[@]}")
mkdir -p "$MC_CACHE/bin"
for t in "${targets[@]}"; do
  start=$SECONDS
  "build_$t" || die "building $t failed (see the output above); rerun cluster/build.sh $t after fixing"
  if (( SECONDS - start > 1 )); then
    log "$t built in $((SECONDS - start))s"
    # bench/cluster reads these to report the cold build time.
    printf '%s\t%s\t%s\n' "$t" "$((SECONDS - start))" "$(date -u +%FT%TZ)" >> "$MC_CACHE/build-times.tsv"
  fi
done
true
