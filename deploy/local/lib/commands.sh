# shellcheck shell=bash
# Part of deploy/local/sentinel (sourced by it, never run alone): the commands infra, up, down, stop, start, status, logs.
# ---------------------------------------------------------------------------------------
# infra
# ---------------------------------------------------------------------------------------
ensure_infra() {
  mkdir -p "$STATE" "$PIDS" "$LOGS" "$STARTED"
  ensure_postgres
  ensure_redis
  kafka_prepare
  smtp_prepare
  take_runtime_lock
  ensure_kafka
  ensure_smtp
  release_runtime_lock
}


# ---------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------
cmd_infra() {
  local t0; t0="$(now_ms)"
  take_infra_lock
  ensure_infra
  release_infra_lock
  say "infra ready ($(since "$t0"))"
}

cmd_up() {
  take_infra_lock
  ensure_infra
  ensure_secrets
  load_service_env
  build_if_needed
  local svc
  for svc in "${SERVICES[@]}"; do start_service "$svc"; done
  release_infra_lock
  wait_services_ready
  start_gateway
  start_mailview
  print_urls
}

cmd_down() {
  case "${1:-}" in
    "") stop_gateway; stop_mailview; stop_services ;;
    --all)
      stop_gateway
      stop_mailview
      stop_services
      take_infra_lock
      # Kafka and GreenMail: only if this clone started them. Another clone's broker may be
      # serving that clone's test run right now (`stop kafka` still reaches any clone's).
      take_runtime_lock
      down_if_ours smtp "$SMTP_MARKER" stop_smtp
      down_if_ours kafka "$KAFKA_MARKER" stop_kafka
      release_runtime_lock
      stop_redis_if_ours
      stop_postgres_if_ours
      release_infra_lock
      ;;
    *) die "usage: sentinel down [--all]" ;;
  esac
}

# down_if_ours NAME MARKER STOP_FUNCTION: stop NAME if it runs from this clone's state folder.
down_if_ours() {
  local owner
  owner="$(server_owner "$1" "$2")" || return 0
  if [[ "$owner" == "$STATE_ABS" ]]; then "$3"; else report "$1" "left running ($(owner_note "$owner"))"; fi
}

cmd_stop() {
  take_infra_lock
  case "${1:-}" in
    kafka) take_runtime_lock; stop_kafka ;;
    smtp)  take_runtime_lock; stop_smtp ;;
    *) die "usage: sentinel stop kafka|smtp" ;;
  esac
}

cmd_start() {
  take_infra_lock
  mkdir -p "$PIDS" "$LOGS"
  case "${1:-}" in
    kafka) kafka_prepare; take_runtime_lock; ensure_kafka ;;
    smtp)  smtp_prepare; take_runtime_lock; ensure_smtp ;;
    *) die "usage: sentinel start kafka|smtp" ;;
  esac
}

status_line() {   # NAME PORT UP(0/1) PID-or-empty NOTE
  local state=stopped
  [[ "$3" == 1 ]] && state=running
  printf '%-13s %-8s 127.0.0.1:%-5s %s\n' "$1" "$state" "$2" \
    "$( [[ -n "$4" ]] && echo "pid $4" || echo "$5")"
}

# server_pid_note NAME MARKER: "PID", plus which clone started it if not this one.
server_pid_note() {
  local pid owner
  pid="$(server_pid "$1" "$2")" || return 1
  owner="$(server_owner "$1" "$2" || true)"
  if [[ -z "$owner" || "$owner" == "$STATE_ABS" ]]; then echo "$pid"; else echo "$pid ($(owner_note "$owner"))"; fi
}

cmd_status() {
  local svc pid up
  pid="$(pid_of gateway "$GATEWAY_MARKER" || true)"
  up=0; port_open "$GATEWAY_PORT" && up=1
  status_line gateway "$GATEWAY_PORT" "$up" "$pid" "$( [[ "$up" == 1 ]] && echo '(not started by sentinel)')"
  for svc in "${SERVICES[@]}"; do
    pid="$(pid_of "$svc" "$(service_jar "$svc")" || true)"
    if service_ready "$svc"; then
      status_line "$svc" "${SERVICE_PORT[$svc]}" 1 "$pid" "(not started by sentinel)"
    elif port_open "${SERVICE_PORT[$svc]}"; then
      status_line "$svc" "${SERVICE_PORT[$svc]}" 1 "" "${pid:+pid $pid, }not ready"
    else
      status_line "$svc" "${SERVICE_PORT[$svc]}" 0 "$pid" ""
    fi
  done
  local note
  up=0; pg_answers && up=1
  note=""; [[ "$up" == 1 ]] && note="(not started by sentinel)"
  [[ -f "$STARTED/postgres" ]] && note="(started by sentinel: $(<"$STARTED/postgres"))"
  status_line postgres "$PG_PORT" "$up" "" "$note"
  up=0; redis_answers && up=1
  pid="$(pid_of redis redis-server || true)"
  status_line redis "$REDIS_PORT" "$up" "$pid" "$( [[ "$up" == 1 ]] && echo '(not started by sentinel)')"
  up=0; port_open "$KAFKA_PORT" && up=1
  pid="$(server_pid_note kafka "$KAFKA_MARKER" || true)"
  status_line kafka "$KAFKA_PORT" "$up" "$pid" "$( [[ "$up" == 1 ]] && echo '(not started by sentinel)')"
  pid="$(pid_of mailview "$MAILVIEW_MARKER" || true)"
  up=0; port_open "$MAILVIEW_PORT" && up=1
  status_line mailview "$MAILVIEW_PORT" "$up" "$pid" "$( [[ "$up" == 1 ]] && echo '(not started by sentinel)')"
  up=0; smtp_answers && imap_answers && up=1
  pid="$(server_pid_note smtp "$SMTP_MARKER" || true)"
  status_line smtp "$SMTP_PORT_LOCAL" "$up" "$pid" "imap :$IMAP_PORT_LOCAL$( [[ "$up" == 1 && -z "$pid" ]] && echo ' (not started by sentinel)')"
}

cmd_logs() {
  local name="${1:-}" file
  case "$name" in
    auth|account|admin-audit|notification) file="$LOGS/$name.log" ;;
    gateway) file="$GATEWAY_DIR/logs/access.log" ;;
    gateway-error) file="$GATEWAY_DIR/logs/error.log" ;;
    kafka) file="$(server_home kafka "$KAFKA_MARKER")/kafka/logs/server.log" ;;
    smtp|greenmail) file="$(server_home smtp "$SMTP_MARKER")/logs/smtp.log" ;;
    redis) file="$LOGS/redis.log" ;;
    mailview) file="$LOGS/mailview.log" ;;
    postgres) file="$(pg_private_dir)/postgres.log" ;;
    *) die "usage: sentinel logs auth|account|admin-audit|notification|gateway|gateway-error|kafka|smtp|mailview|redis|postgres" ;;
  esac
  [[ -f "$file" ]] || die "no log yet: $file"
  if [[ -t 1 ]]; then exec tail -n 100 -F "$file"; else exec tail -n 200 "$file"; fi
}
