#!/usr/bin/env bash
# Builds the images nothing can pull here and pushes them to the local registry.
#   system: the pause image and CoreDNS, from binaries built at pinned versions
#   base:   Debian model-server base images made with debootstrap (python3; python3 + the ML stack), and Redis
#           (Debian's redis-server) for the batch jobs' queue
# Each image is tagged with a key of its inputs and skipped when the registry already has that tag.
source "$(dirname "$0")/lib.sh"
WORK="$MC_CACHE/images"
mkdir -p "$WORK"

registry_has() { # repo tag
  curl -sf -o /dev/null -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY_ADDR/v2/$1/manifests/$2"
}
key_of() { sha256sum | cut -c1-12; }

push_dir_image() { # repo tag dir
  local ref="$REGISTRY_ADDR/$1:$2"
  docker build -q -t "$ref" "$3" >/dev/null
  docker push -q "$ref" >/dev/null
}

system_images() {
  local pause_src; pause_src="$GOMODCACHE/k8s.io/kubernetes@$KUBERNETES_VERSION/build/pause/linux/pause.c"
  [[ -f "$pause_src" ]] || die "pause.c not found at $pause_src; run cluster/build.sh kubernetes"
  if ! registry_has pause 3.10; then
    local ctx="$WORK/pause"; mkdir -p "$ctx"
    gcc -Os -Wall -static -DVERSION="\"3.10-model-canary\"" -o "$ctx/pause" "$pause_src"
    strip "$ctx/pause"
    cp "$CLUSTER_DIR/images/pause/Dockerfile" "$ctx/"
    push_dir_image pause 3.10 "$ctx"
    log "pushed pause:3.10"
  fi
  if ! registry_has coredns "$COREDNS_VERSION"; then
    local ctx="$WORK/coredns"; mkdir -p "$ctx"
    cp "$(bin_dir coredns "$COREDNS_VERSION")/coredns" "$CLUSTER_DIR/images/coredns/Dockerfile" "$ctx/"
    push_dir_image coredns "$COREDNS_VERSION" "$ctx"
    log "pushed coredns:$COREDNS_VERSION"
  fi
}

# The Debian mirror this machine's apt already uses: read from its sources, never written down here.
debian_mirror() {
  local uri
  uri="$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -1 || true)"
  [[ -n "$uri" ]] || uri="$(grep -h '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | head -1 || true)"
  [[ -n "$uri" ]] || die "no Debian mirror found in /etc/apt/sources.list(.d)"
  echo "$uri"
}

SUITE=bookworm
PYTHON_PACKAGES="python3"
ML_PACKAGES="python3-numpy python3-sklearn python3-joblib python3-fastapi python3-uvicorn python3-prometheus-client python3-redis python3-pip"
REDIS_PACKAGES="redis-server"

import_rootfs() { # rootfs repo tag
  local ref="$REGISTRY_ADDR/model-canary/$2:$3"
  tar -C "$1" --numeric-owner -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' --change 'CMD ["python3"]' - "$ref" >/dev/null
  docker tag "$ref" "$REGISTRY_ADDR/model-canary/$2:$SUITE"
  docker push -q "$ref" >/dev/null
  docker push -q "$REGISTRY_ADDR/model-canary/$2:$SUITE" >/dev/null
}

slim_rootfs() { # rootfs
  rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/cache/apt/archives/*.deb \
    "$1"/usr/share/doc/* "$1"/usr/share/man/* "$1"/usr/share/info/* "$1"/var/log/*.log "$1"/root/.cache
  find "$1/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'C.UTF-8' -exec rm -rf {} + 2>/dev/null || true
}

base_images() {
  command -v debootstrap >/dev/null || die "debootstrap is missing; run cluster/prereqs.sh"
  local mirror; mirror="$(debian_mirror)"
  local py_key ml_key
  py_key="$(printf '%s %s %s' "$SUITE" "$mirror" "$PYTHON_PACKAGES" | key_of)"
  ml_key="$(printf '%s %s %s %s' "$SUITE" "$mirror" "$PYTHON_PACKAGES" "$ML_PACKAGES" | key_of)"
  if registry_has model-canary/debian-python "$py_key" && registry_has model-canary/debian-ml "$ml_key"; then
    return 0
  fi
  local root="$WORK/rootfs-$py_key"
  if [[ ! -f "$root/.complete" ]]; then
    log "debootstrap $SUITE (first time only; a few minutes)"
    rm -rf "$root"
    # shellcheck disable=SC2086
    debootstrap --variant=minbase --include="${PYTHON_PACKAGES// /,}" "$SUITE" "$root" "$mirror" \
      > "$MC_LOGS/debootstrap.log" 2>&1 || { tail -20 "$MC_LOGS/debootstrap.log" >&2; die "debootstrap failed"; }
    touch "$root/.complete"
  fi
  if ! registry_has model-canary/debian-python "$py_key"; then
    local py="$WORK/debian-python"; rm -rf "$py"; cp -a "$root" "$py"; rm -f "$py/.complete"; slim_rootfs "$py"
    import_rootfs "$py" debian-python "$py_key"; rm -rf "$py"
    log "pushed model-canary/debian-python:$py_key"
  fi
  if ! registry_has model-canary/debian-ml "$ml_key"; then
    local ml="$WORK/debian-ml"
    chroot_install "$root" "$ml" "$ML_PACKAGES" debian-ml
    import_rootfs "$ml" debian-ml "$ml_key"; rm -rf "$ml"
    log "pushed model-canary/debian-ml:$ml_key"
  fi
}

# Installs packages into a copy of the debootstrap rootfs with the host's apt sources (so no mirror is named here).
chroot_install() { # rootfs dest packages log
  rm -rf "$2"; cp -a "$1" "$2"; rm -f "$2/.complete"
  cp /etc/apt/sources.list.d/*.sources "$2/etc/apt/sources.list.d/" 2>/dev/null || true
  cp /etc/apt/sources.list "$2/etc/apt/sources.list" 2>/dev/null || true
  chroot "$2" /bin/sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $3" \
    > "$MC_LOGS/$4.log" 2>&1 || { tail -20 "$MC_LOGS/$4.log" >&2; die "installing $3 failed"; }
  slim_rootfs "$2"
}

# Redis for the batch jobs (templates/docker/redis): Debian's redis-server in the debootstrap rootfs, then the
# template's Dockerfile on top (its entrypoint, a non-root user). Tagged model-canary/redis:<key> and :bookworm.
redis_image() {
  local mirror; mirror="$(debian_mirror)"
  local py_key key template="$CLUSTER_DIR/../templates/docker/redis"
  py_key="$(printf '%s %s %s' "$SUITE" "$mirror" "$PYTHON_PACKAGES" | key_of)"
  key="$(printf '%s %s %s %s' "$SUITE" "$mirror" "$REDIS_PACKAGES" "$(cat "$template"/*)" | key_of)"
  registry_has model-canary/redis "$key" && return 0
  local root="$WORK/rootfs-$py_key"
  [[ -f "$root/.complete" ]] || die "the debootstrap rootfs is missing; run cluster/images.sh base first"
  local base="$REGISTRY_ADDR/model-canary/debian-redis:$key"
  chroot_install "$root" "$WORK/debian-redis" "$REDIS_PACKAGES" debian-redis
  tar -C "$WORK/debian-redis" --numeric-owner -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'ENV LANG=C.UTF-8' - "$base" >/dev/null
  rm -rf "$WORK/debian-redis"
  local ref="$REGISTRY_ADDR/model-canary/redis"
  docker build -q --build-arg "BASE_IMAGE=$base" -t "$ref:$key" -t "$ref:$SUITE" "$template" >/dev/null
  docker push -q "$ref:$key" >/dev/null
  docker push -q "$ref:$SUITE" >/dev/null
  log "pushed model-canary/redis:$key"
}

case "${1:-all}" in
  system) system_images ;;
  base) base_images ;;
  redis) redis_image ;;
  all) system_images; base_images; redis_image ;;
  *) die "usage: cluster/images.sh [system|base|redis|all]" ;;
esac
