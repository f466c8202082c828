# shellcheck shell=bash
# Part of deploy/local/sentinel (sourced by it, never run alone): local secrets, the services' environment, building, starting and stopping the services.
# ---------------------------------------------------------------------------------------
# Local secrets and the services' environment
# ---------------------------------------------------------------------------------------
rand_b64() { head -c "$1" /dev/urandom | base64 -w0; }

# 24 letters and digits with at least one of each kind, then a dash and 4 more: passes
# any composition rule and is far beyond guessing.
rand_password() {
  local pool pw
  while :; do
    pool="$(head -c 96 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9')"
    pw="${pool:0:24}-${pool:24:4}"
    [[ "$pw" =~ [A-Z] && "$pw" =~ [a-z] && "$pw" =~ [0-9] && ${#pw} -eq 29 ]] && break
  done
  printf '%s\n' "$pw"
}

# Append KEY='VALUE' unless the file already has KEY: adding a new secret later keeps the
# old ones. Values never contain a single quote, so the file can also be sourced.
add_secret() {
  grep -q "^$1=" "$SECRETS" 2>/dev/null && return 0
  local value; value="$("${@:2}")"
  [[ -n "$value" ]] || die "could not generate $1"
  printf "%s='%s'\n" "$1" "$value" >>"$SECRETS"
}

ensure_secrets() {
  mkdir -p "$STATE"
  (umask 077 && touch "$SECRETS")
  chmod 600 "$SECRETS"
  add_secret JWT_JWK_CURRENT java "$HERE/KeyGen.java"
  add_secret ENCRYPTION_KEYS bash -c 'printf "{\"v1\":\"%s\"}" "$(head -c 32 /dev/urandom | base64 -w0)"'
  add_secret ENCRYPTION_KEY_CURRENT echo v1
  add_secret AUDIT_CHAIN_KEY rand_b64 32
  add_secret AUDIT_KEK rand_b64 32            # wraps the audit log's per-subject data keys
  add_secret AUDIT_SIGNING_KEY rand_b64 32    # Ed25519 seed that signs audit checkpoints
  add_secret REFRESH_TOKEN_KEY rand_b64 32
  add_secret ADMIN_EMAIL echo admin@sentinel.local
  add_secret ADMIN_PASSWORD rand_password
  add_secret CAPTCHA_PROVIDER echo disabled
  # admin-audit-service's client_credentials secret for auth-service (SERVICE_CLIENTS below)
  add_secret ADMIN_AUDIT_CLIENT_SECRET bash -c 'head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n"'
}

# Export the local defaults for the services; anything the caller set wins.
load_service_env() {
  local line key value
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    key="${BASH_REMATCH[1]}"; value="${BASH_REMATCH[2]}"
    value="${value#\'}"; value="${value%\'}"
    default_env "$key" "$value"
  done <"$SECRETS"
  default_env QUARKUS_PROFILE local
  default_env DB_HOST 127.0.0.1
  default_env DB_PORT "$PG_PORT"
  default_env DB_USER postgres
  default_env DB_PASSWORD ""
  default_env REDIS_URL "redis://127.0.0.1:$REDIS_PORT"
  default_env KAFKA_BOOTSTRAP_SERVERS "127.0.0.1:$KAFKA_PORT"
  default_env SMTP_HOST 127.0.0.1
  default_env SMTP_PORT "$SMTP_PORT_LOCAL"
  default_env JWKS_URL "http://127.0.0.1:${SERVICE_PORT[auth]}/.well-known/jwks.json"
  # Links in mails go through the gateway, as a user's browser would.
  default_env PUBLIC_BASE_URL "http://127.0.0.1:$GATEWAY_PORT"
  default_env AUDIT_CHECKPOINT_MIRROR_DIR "$STATE/audit-checkpoints"
  # admin-audit-service signs in to auth-service as this client; auth keeps only the SHA-256.
  default_env ADMIN_AUDIT_CLIENT_ID admin-audit-service
  default_env AUTH_URL "http://127.0.0.1:${SERVICE_PORT[auth]}"
  # ... and reads plans and spend from account-service with the same SERVICE token.
  default_env ACCOUNT_URL "http://127.0.0.1:${SERVICE_PORT[account]}"
  default_env SERVICE_CLIENTS "$ADMIN_AUDIT_CLIENT_ID:$(printf '%s' "$ADMIN_AUDIT_CLIENT_SECRET" | sha256sum | cut -d' ' -f1)"
}

# ---------------------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------------------
service_jar() { printf '%s\n' "$ROOT/${SERVICE_MODULE[$1]}/target/quarkus-app/quarkus-run.jar"; }
service_ready() { curl -fs -o /dev/null --max-time 3 "http://127.0.0.1:${SERVICE_PORT[$1]}/q/health/ready" 2>/dev/null; }

# Build when a packaged service is missing or a pom or a service's source is newer than the oldest jar.
needs_build() {
  local svc jar oldest=""
  for svc in "${SERVICES[@]}"; do
    jar="$(service_jar "$svc")"
    [[ -f "$jar" ]] || return 0
    if [[ -z "$oldest" || "$jar" -ot "$oldest" ]]; then oldest="$jar"; fi
  done
  # The services and what they are built from; a changed system test or README needs no build.
  local dirs=("$ROOT/shared-contracts/src") module
  for module in "${SERVICE_MODULE[@]}"; do dirs+=("$ROOT/$module/src"); done
  [[ -n "$(find "$ROOT/pom.xml" "$ROOT"/*/pom.xml "${dirs[@]}" -type f -newer "$oldest" -print -quit 2>/dev/null)" ]]
}

build_if_needed() {
  if ! needs_build; then
    report build "up to date"
    return
  fi
  local t0; t0="$(now_ms)"
  report build "./mvnw -B -q -DskipTests package"
  (cd "$ROOT" && with_maven_lock ./mvnw -B -q -DskipTests package 8>&-) || die "build failed"
  report build "done ($(since "$t0"))"
}

start_service() {
  local svc="$1" jar pid port="${SERVICE_PORT[$1]}"
  jar="$(service_jar "$svc")"
  if pid="$(pid_of "$svc" "$jar")"; then
    if service_ready "$svc" || port_open "$port"; then
      report "$svc" "reused   :$port (pid $pid)"
      return
    fi
    stop_pid "$svc" "$pid" "$SERVICE_STOP_GRACE"   # alive but deaf: start afresh
  fi
  port_open "$port" && die "$svc: port $port is taken by a process sentinel did not start"
  # The HTTP port is per service, so it is set here for each process, not taken from the
  # caller's environment (one QUARKUS_HTTP_PORT for four services cannot be right).
  : >>"$LOGS/$svc.log"
  printf '\n===== %s start %s =====\n' "$svc" "$(date -Is)" >>"$LOGS/$svc.log"
  QUARKUS_HTTP_PORT="$port" run_bg "$svc" "$LOGS/$svc.log" java -Xmx512m -jar "$jar"
  report "$svc" "started  :$port (pid $(<"$PIDS/$svc.pid"))"
}

wait_services_ready() {
  local deadline=$(( $(date +%s) + SERVICE_READY_TIMEOUT )) svc pending=("${SERVICES[@]}") still failed=()
  while ((${#pending[@]})); do
    still=()
    for svc in "${pending[@]}"; do
      if service_ready "$svc"; then
        continue
      elif ! pid_of "$svc" "$(service_jar "$svc")" >/dev/null; then
        failed+=("$svc (process exited)")
      else
        still+=("$svc")
      fi
    done
    pending=("${still[@]+"${still[@]}"}")
    ((${#pending[@]})) || break
    if (( $(date +%s) >= deadline )); then
      for svc in "${pending[@]}"; do failed+=("$svc (not ready after ${SERVICE_READY_TIMEOUT}s)"); done
      break
    fi
    sleep 1
  done
  if ((${#failed[@]})); then
    local f
    for f in "${failed[@]}"; do
      svc="${f%% *}"
      warn "$f — last lines of $LOGS/$svc.log:"
      tail -n 40 "$LOGS/$svc.log" >&2 || true
    done
    exit 1
  fi
}


print_urls() {
  local svc
  say ""
  say "Sentinel is up:"
  say "  $(printf '%-13s' gateway) http://127.0.0.1:$GATEWAY_PORT   /v1/auth/*, /v1/account/*, /v1/admin/*, /v1/notifications/*, /.well-known/jwks.json"
  say "  $(printf '%-13s' api) http://127.0.0.1:$GATEWAY_PORT/docs/   Swagger UI of the whole API through the gateway (document: /openapi.json)"
  for svc in "${SERVICES[@]}"; do
    local base="http://127.0.0.1:${SERVICE_PORT[$svc]}"
    say "  $(printf '%-13s' "$svc") $base   swagger $base/q/swagger-ui   metrics $base/q/metrics"
  done
  say "  mail          http://127.0.0.1:$MAILVIEW_PORT/?to=ADDRESS   (SMTP 127.0.0.1:$SMTP_PORT_LOCAL, IMAP 127.0.0.1:$IMAP_PORT_LOCAL: login = recipient address, any password)"
  say "  admin         ${ADMIN_EMAIL}, password: ADMIN_PASSWORD in $SECRETS"
  say "  logs          $LOGS  (sentinel logs auth|account|admin-audit|notification|kafka|smtp)"
}

stop_services() {
  local svc pid
  for svc in "${SERVICES[@]}"; do
    if pid="$(pid_of "$svc" "$(service_jar "$svc")")"; then
      stop_pid "$svc" "$pid" "$SERVICE_STOP_GRACE"
      report "$svc" "stopped"
    else
      rm -f "$PIDS/$svc.pid"
      report "$svc" "not running"
    fi
  done
}

