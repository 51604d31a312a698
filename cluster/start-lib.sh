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
