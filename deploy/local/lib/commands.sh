# shellcheck shell=bash
# Part of deploy/local/sentinel (sourced by it, never run alone): the commands infra, up, down, status, logs.
# ---------------------------------------------------------------------------------------
# infra
# ---------------------------------------------------------------------------------------
ensure_infra() {
  mkdir -p "$STATE" "$PIDS" "$LOGS" "$STARTED"
  ensure_postgres
  ensure_redis
  kafka_prepare
  smtp_prepare
  ensure_kafka
  ensure_smtp
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
      # Kafka and GreenMail: only if this clone started them (stop_* leave any other
      # running: another clone's broker may be serving that clone's test run right now).
      stop_smtp
      stop_kafka
      stop_redis_if_ours
      stop_postgres_if_ours
      release_infra_lock
      ;;
    *) die "usage: sentinel down [--all]" ;;
  esac
}

status_line() {   # NAME PORT UP(0/1) PID-or-empty NOTE
  local state=stopped
  [[ "$3" == 1 ]] && state=running
  printf '%-13s %-8s 127.0.0.1:%-5s %s\n' "$1" "$state" "$2" \
    "$( [[ -n "$4" ]] && echo "pid $4" || echo "$5")"
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
  pid="$(pid_of kafka "$KAFKA_MARKER" || true)"
  status_line kafka "$KAFKA_PORT" "$up" "$pid" "$( [[ "$up" == 1 ]] && echo '(not started by this clone)')"
  pid="$(pid_of mailview "$MAILVIEW_MARKER" || true)"
  up=0; port_open "$MAILVIEW_PORT" && up=1
  status_line mailview "$MAILVIEW_PORT" "$up" "$pid" "$( [[ "$up" == 1 ]] && echo '(not started by sentinel)')"
  up=0; smtp_answers && imap_answers && up=1
  pid="$(pid_of smtp "$SMTP_MARKER" || true)"
  status_line smtp "$SMTP_PORT_LOCAL" "$up" "$pid" "imap :$IMAP_PORT_LOCAL$( [[ "$up" == 1 && -z "$pid" ]] && echo ' (not started by this clone)')"
}

cmd_logs() {
  local name="${1:-}" file
  case "$name" in
    auth|account|admin-audit|notification) file="$LOGS/$name.log" ;;
    gateway) file="$GATEWAY_DIR/logs/access.log" ;;
    gateway-error) file="$GATEWAY_DIR/logs/error.log" ;;
    kafka) file="$KAFKA_DIR/logs/server.log" ;;
    smtp|greenmail) file="$LOGS/smtp.log" ;;
    redis) file="$LOGS/redis.log" ;;
    mailview) file="$LOGS/mailview.log" ;;
    postgres) file="$(pg_private_dir)/postgres.log" ;;
    *) die "usage: sentinel logs auth|account|admin-audit|notification|gateway|gateway-error|kafka|smtp|mailview|redis|postgres" ;;
  esac
  [[ -f "$file" ]] || die "no log yet: $file"
  if [[ -t 1 ]]; then exec tail -n 100 -F "$file"; else exec tail -n 200 "$file"; fi
}
