# shellcheck shell=bash
# Part of deploy/local/sentinel (sourced by it, never run alone): the gateway (nginx).
# ---------------------------------------------------------------------------------------
# Gateway: nginx (Debian) as a plain process, rendered and run by deploy/gateway/gateway.sh;
# its config, pid, temp files and logs live in $GATEWAY_DIR.
# ---------------------------------------------------------------------------------------
GATEWAY_DIR="$STATE_ABS/gateway"
GATEWAY_SCRIPT="$ROOT/deploy/gateway/gateway.sh"
# nginx names its config in its process title: that tells our nginx from any other.
GATEWAY_MARKER="$GATEWAY_DIR/nginx.conf"

ensure_nginx() {
  command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || apt_install nginx
}

# Swagger UI for the gateway's /docs/ page (npm swagger-ui-dist, pinned; never a CDN): gateway.sh
# render copies its bundle and css from here (its default SWAGGER_UI_DIST) next to the page.
SWAGGER_UI_VERSION=5.35.0
SWAGGER_UI_DIR="$STATE/node/swagger-ui"

swagger_ui_installed() {
  local pkg="$SWAGGER_UI_DIR/node_modules/swagger-ui-dist/package.json"
  [[ -f "$pkg" ]] && grep -q "\"version\": *\"$SWAGGER_UI_VERSION\"" "$pkg"
}

# ensure_swagger_ui [--optional]: install it when missing; --optional (sentinel up) only warns
# when npm cannot, and the gateway then serves everything but /docs/.
ensure_swagger_ui() {
  swagger_ui_installed && return 0
  command -v npm >/dev/null 2>&1 || apt_install npm
  mkdir -p "$SWAGGER_UI_DIR"
  if (cd "$SWAGGER_UI_DIR" && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
        "swagger-ui-dist@$SWAGGER_UI_VERSION" >/dev/null) && swagger_ui_installed; then
    report swagger-ui "installed $SWAGGER_UI_VERSION (the gateway's /docs/)"
  elif [[ "${1:-}" == --optional ]]; then
    warn "could not install swagger-ui-dist $SWAGGER_UI_VERSION from npm: the gateway serves no /docs/ page"
  else
    die "could not install swagger-ui-dist $SWAGGER_UI_VERSION from npm"
  fi
}

start_gateway() {
  local pid t0; t0="$(now_ms)"
  ensure_nginx
  ensure_swagger_ui --optional
  SWAGGER_UI_DIST="$SWAGGER_UI_DIR/node_modules/swagger-ui-dist" "$GATEWAY_SCRIPT" render "$GATEWAY_DIR" "127.0.0.1:$GATEWAY_PORT" "127.0.0.1:${SERVICE_PORT[auth]}" \
    "127.0.0.1:${SERVICE_PORT[account]}" "127.0.0.1:${SERVICE_PORT[admin-audit]}" \
    "127.0.0.1:${SERVICE_PORT[notification]}" || die "gateway: could not render its config"
  if pid="$(pid_of gateway "$GATEWAY_MARKER")"; then
    kill -HUP "$pid"   # nginx reloads the config just rendered
    report gateway "reused   127.0.0.1:$GATEWAY_PORT (pid $pid, config reloaded)"
    return
  fi
  port_open "$GATEWAY_PORT" && die "gateway: port $GATEWAY_PORT is taken by a process sentinel did not start"
  run_bg gateway "$GATEWAY_DIR/logs/nginx.out" "$GATEWAY_SCRIPT" run "$GATEWAY_DIR"
  pid="$(<"$PIDS/gateway.pid")"
  if ! wait_until 10 port_open "$GATEWAY_PORT"; then
    tail -n 20 "$GATEWAY_DIR/logs/nginx.out" "$GATEWAY_DIR/logs/error.log" >&2 2>/dev/null || true
    die "gateway: nginx does not listen on 127.0.0.1:$GATEWAY_PORT"
  fi
  report gateway "started  127.0.0.1:$GATEWAY_PORT (pid $pid, $(since "$t0"))"
}

stop_gateway() {
  local pid
  if pid="$(pid_of gateway "$GATEWAY_MARKER")"; then
    stop_pid gateway "$pid" 10
    report gateway "stopped"
  fi
}

