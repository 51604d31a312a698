#!/usr/bin/env bash
# Builds a small Trivy vulnerability database from a YAML file of invented advisories, so tests can run the
# real Trivy offline (Trivy's own database cannot be downloaded here). Prints the folder to pass to
# `trivy --cache-dir`: it holds db/trivy.db and db/metadata.json.
#
#   cluster/trivy-db.sh [advisories.yaml]     (default: test/fixtures/trivy/advisories.yaml)
#
# The builder (cluster/trivy-db, Go, on trivy-db at the version Trivy $TRIVY_VERSION requires) is cached in
# $MC_CACHE/bin/trivy-db-builder-<key of its sources and Go version>; the database in
# $MC_CACHE/trivy-db/<hash of the advisories file>-<builder key>. Both are built once: a warm run only hashes.
# Scan with, for example:
#   trivy image --cache-dir "$(cluster/trivy-db.sh)" --cache-backend memory --skip-db-update \
#     --skip-java-db-update --offline-scan --scanners vuln IMAGE
# (--cache-backend memory keeps Trivy's layer cache out of the shared folder.)
source "$(dirname "$0")/lib.sh"
export GOTOOLCHAIN=local

ADVISORIES="${1:-$REPO_DIR/test/fixtures/trivy/advisories.yaml}"
[[ -f "$ADVISORIES" ]] || die "advisories file not found: $ADVISORIES"
SRC="$CLUSTER_DIR/trivy-db"

sha12() { sha256sum | cut -c1-12; }

# The builder's key: its sources and the Go that builds them.
builder_key="$(
  { go version; for f in go.mod go.sum $(cd "$SRC" && ls ./*.go); do echo "== $f"; cat "$SRC/$f"; done; } | sha12
)"
BUILDER_DIR="$(bin_dir trivy-db-builder "$builder_key")"
BUILDER="$BUILDER_DIR/trivy-db-builder"

db_key="$(sha12 < "$ADVISORIES")-$builder_key"
OUT="$MC_CACHE/trivy-db/$db_key"

if [[ -f "$OUT/.complete" && -s "$OUT/db/trivy.db" && -s "$OUT/db/metadata.json" ]]; then
  echo "$OUT"
  exit 0
fi

# The trivy-db the builder uses must be the one Trivy reads: the version Trivy's go.mod requires.
check_trivy_db_version() {
  local mod="$GOMODCACHE/cache/download/github.com/aquasecurity/trivy/@v/$TRIVY_VERSION.mod" want have
  if [[ ! -f "$mod" ]]; then
    mod="$(cd "$SRC" && go mod download -json "github.com/aquasecurity/trivy@$TRIVY_VERSION" |
      sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  fi
  [[ -f "$mod" ]] || die "cannot read the go.mod of trivy $TRIVY_VERSION"
  want="$(awk '$1 == "github.com/aquasecurity/trivy-db" { print $2; exit }' "$mod")"
  have="$(awk '$1 == "github.com/aquasecurity/trivy-db" { print $2; exit }' "$SRC/go.mod")"
  [[ -n "$want" && "$want" == "$have" ]] ||
    die "cluster/trivy-db/go.mod requires trivy-db $have but trivy $TRIVY_VERSION requires $want: update it (go get github.com/aquasecurity/trivy-db@$want && go mod tidy)"
}

if [[ ! -f "$BUILDER_DIR/.complete" ]]; then
  check_trivy_db_version
  log "building trivy-db-builder $builder_key"
  mkdir -p "$BUILDER_DIR"
  (cd "$SRC" && go build -trimpath -ldflags "-s -w" -o "$BUILDER.tmp.$$" .) || { rm -f "$BUILDER.tmp.$$"; die "trivy-db-builder build failed"; }
  mv -f "$BUILDER.tmp.$$" "$BUILDER"
  touch "$BUILDER_DIR/.complete"
fi

# Write into a temporary folder beside the target and rename it into place, so a reader never sees a
# half-written database and two concurrent runs do not trip over each other.
mkdir -p "$MC_CACHE/trivy-db"
tmp="$(mktemp -d "$MC_CACHE/trivy-db/.tmp-$db_key-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
log "building Trivy DB $db_key from $ADVISORIES"
"$BUILDER" -input "$ADVISORIES" -output "$tmp/db" >&2 || die "trivy-db-builder failed for $ADVISORIES"
cp "$ADVISORIES" "$tmp/advisories.yaml" # what this database was built from, for a reader
touch "$tmp/.complete"
chmod 755 "$tmp"
if ! mv -T "$tmp" "$OUT" 2>/dev/null; then
  # Another run finished first (or a stale, incomplete folder is in the way).
  if [[ ! -f "$OUT/.complete" ]]; then
    rm -rf "$OUT"
    mv -T "$tmp" "$OUT" || die "cannot move the database into $OUT"
  fi
fi
echo "$OUT"
