# shellcheck shell=bash
# Part of deploy/local/sentinel (sourced by it, never run alone): Redis.
# ---------------------------------------------------------------------------------------
# Redis
# ---------------------------------------------------------------------------------------
redis_answers() {
  if command -v redis-cli >/dev/null 2>&1; then
    [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]
  else
    port_open "$REDIS_PORT"
  fi
}

ensure_redis() {
  local t0; t0="$(now_ms)"
  if redis_answers; then
    report redis "reused   127.0.0.1:$REDIS_PORT$(pid_of redis redis-server >/dev/null && echo ' (started earlier by sentinel)')"
    return
  fi
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  if redis_answers; then   # the package's own start script may have started one
    report redis "reused   127.0.0.1:$REDIS_PORT (started by the package install)"
    return
  fi
  mkdir -p "$REDIS_DIR" "$PIDS" "$LOGS"
  # Nothing is kept on disk: local Redis holds only rate-limit counters and sessions.
  bash -c "$CLOSE_FDS" close-fds redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save '' \
    --appendonly no --dir "$REDIS_DIR" --pidfile "$PIDS/redis.pid" --logfile "$LOGS/redis.log"
  wait_until 15 redis_answers || die "Redis did not answer, see $LOGS/redis.log"
  touch "$STARTED/redis"
  report redis "started  127.0.0.1:$REDIS_PORT (pid $(cat "$PIDS/redis.pid"), $(since "$t0"))"
}

stop_redis_if_ours() {
  [[ -f "$STARTED/redis" ]] || return 0
  local pid
  if pid="$(pid_of redis redis-server)"; then
    stop_pid redis "$pid" 10
    report redis "stopped"
  fi
  rm -f "$STARTED/redis"
}

