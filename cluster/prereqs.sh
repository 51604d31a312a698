#!/usr/bin/env bash
# Installs the Debian packages the local cluster needs, once per machine.
source "$(dirname "$0")/lib.sh"
# python3-scipy is not for the cluster: it is the reference the statistics tests check against (test/unit/analysis-stats.test.ts).
# Nor are python3-pytest to redis-server: they run the model server's own tests (test/unit/model-server-pytest.test.ts;
# the batch jobs' tests start a redis-server of their own).
PACKAGES=(docker.io iptables conntrack debootstrap curl openssl gcc libc6-dev libseccomp-dev pkg-config jq bc python3-scipy
  python3-pytest python3-httpx python3-fastapi python3-uvicorn python3-numpy python3-sklearn python3-joblib python3-prometheus-client
  python3-redis redis-server)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  log "installing ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
