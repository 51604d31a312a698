#!/usr/bin/env bash
# Builds act (github.com/nektos/act, the local GitHub Actions runner the workflow tests use) from the Go
# module proxy at ACT_VERSION (versions.env) into $MC_CACHE/bin/act-<version>/act, once: a warm run only
# checks it is there. Prints the binary's path last. Usage: cluster/act.sh
# Not part of the cluster (bench/cluster's build times leave it out): the workflow tests build it on first use.
source "$(dirname "$0")/lib.sh"
out="$(bin_dir act "$ACT_VERSION")"
if [[ ! -f "$out/.complete" ]]; then
  log "building act $ACT_VERSION"
  start=$SECONDS
  mkdir -p "$out"
  # act reads its version from an embedded VERSION file; nothing to stamp.
  GOBIN="$out" go install -trimpath -ldflags "-s -w" "github.com/nektos/act@$ACT_VERSION" \
    || die "building act $ACT_VERSION failed (see above)"
  [[ -x "$out/act" ]] || die "act: expected $out/act"
  touch "$out/.complete"
  log "act built in $((SECONDS - start))s"
fi
echo "$out/act"
