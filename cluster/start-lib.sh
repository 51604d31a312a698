# Starting and waiting for components; sourced by up.sh after lib.sh.

# start NAME CMD... : runs CMD in its own session, logging to $MC_LOGS/NAME.log, pid in $MC_RUN/NAME.pid.
start() {
  local name="$1"; shift
  if is_running "$name"; then return 0; fi
  mkdir -p "$MC_LOGS" "$MC_RUN"
  echo "=== $(date -u +%FT%TZ) starting: $*" >> "$MC_LOGS/$name.log"
  setsid "$@" >> "$MC_LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$(pid_file "$name")"
}

# fail NAME WHAT : prints the last lines of the component's log and what to try, then exits.
fail() {
  local name="$1" what="$2"
  {
    echo "[cluster] error: $what"
    echo "--- last lines of $MC_LOGS/$name.log ---"
    tail -n 25 "$MC_LOGS/$name.log" 2>/dev/null || echo "(no log)"
    echo "---"
    echo "Try: npm run cluster:down && npm run cluster:up; all logs are in $MC_LOGS."
  } >&2
  exit 1
}

# wait_for NAME SECONDS CHECK... : polls CHECK until it succeeds; fails with NAME's log when the process dies or time runs out.
wait_for() {
  local name="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    is_running "$name" || fail "$name" "$name exited during start"
    (( SECONDS < deadline )) || fail "$name" "$name was not ready after ${seconds}s"
    sleep 0.3
  done
}

# apiserver_command : sets APISERVER_CMD to the command line cluster/up.sh starts kube-apiserver with
# (cluster/restart-apiserver.sh --new-flags restarts a running one with it after a change here).
apiserver_command() {
  local pki="$MC_STATE/pki"
  APISERVER_CMD=("$K8S_BIN/kube-apiserver"
    --advertise-address "$NODE_IP" --bind-address "$NODE_IP" --secure-port 6443
    --etcd-servers https://127.0.0.1:2379 --etcd-cafile "$pki/ca.crt"
    --etcd-certfile "$pki/apiserver-etcd-client.crt" --etcd-keyfile "$pki/apiserver-etcd-client.key"
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key"
    --client-ca-file "$pki/ca.crt"
    --kubelet-client-certificate "$pki/apiserver-kubelet-client.crt" --kubelet-client-key "$pki/apiserver-kubelet-client.key"
    --kubelet-certificate-authority "$pki/ca.crt" --kubelet-preferred-address-types InternalIP
    --service-account-issuer https://kubernetes.default.svc.cluster.local
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key"
    --service-cluster-ip-range "$SERVICE_CIDR"
    # The aggregation layer (metrics.k8s.io, custom.metrics.k8s.io from cluster/metrics.sh): the API
    # server proxies to an aggregated server as front-proxy-client and says who asked in these headers;
    # it dials the Service's endpoint (the node address) rather than its cluster IP.
    --requestheader-client-ca-file "$pki/front-proxy-ca.crt" --requestheader-allowed-names front-proxy-client
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group
    --requestheader-extra-headers-prefix X-Remote-Extra-
    --proxy-client-cert-file "$pki/front-proxy-client.crt" --proxy-client-key-file "$pki/front-proxy-client.key"
    --enable-aggregator-routing=true
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction
    --allow-privileged=false --profiling=false --v=1)
}
