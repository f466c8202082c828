#!/usr/bin/env bash
# gateway.sh — render and run the Sentinel gateway (nginx) from nginx.conf.template.
#
#   gateway.sh render DIR LISTEN AUTH ACCOUNT ADMIN_AUDIT NOTIFICATION
#       writes DIR/nginx.conf (every address host:port, e.g. 127.0.0.1:8080), makes
#       DIR/logs and DIR/temp, and checks the result with `nginx -t`; GATEWAY_UPSTREAM_TIMEOUT
#       (seconds, default 30) is how long an upstream may take to answer (tests shorten it)
#       It also copies what the gateway serves itself into DIR/www: openapi.json (the merged
#       API document) and the Swagger UI page docs/ with swagger-ui-dist's bundle and css from
#       SWAGGER_UI_DIST (default: the copy deploy/local/sentinel installs in its state folder);
#       without that folder /docs/ is a 404 problem and the rest works
#   gateway.sh run DIR
#       execs nginx in the foreground on DIR/nginx.conf (pid, logs, temp files in DIR)
#   gateway.sh nginx
#       prints the nginx binary it uses (PATH, else /usr/sbin/nginx); fails when none
#
# deploy/local/sentinel (`up`: 127.0.0.1:8080 → 8081-8084) and the system tests (free
# ports) both go through it, so they run the same config the same way. No systemd, no
# files outside DIR.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TEMPLATE="$HERE/nginx.conf.template"

die() { printf 'gateway: %s\n' "$*" >&2; exit 1; }

nginx_bin() {
  local bin
  if bin="$(command -v nginx 2>/dev/null)"; then printf '%s\n' "$bin"; return; fi
  [[ -x /usr/sbin/nginx ]] || die "nginx is not installed (Debian package nginx; deploy/local/sentinel installs it)"
  printf '%s\n' /usr/sbin/nginx
}

# host:port with a numeric port; the host may be a name, an IPv4 or a bracketed IPv6 address.
check_address() {
  [[ "$2" =~ ^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):[0-9]{1,5}$ ]] || die "$1: expected host:port, got '$2'"
}

# What nginx serves from files (nginx.conf.template, /openapi.json and /docs/), made afresh.
copy_www() {
  local www="$1" dist="${SWAGGER_UI_DIST:-${SENTINEL_STATE_DIR:-$HERE/../local/.state}/node/swagger-ui/node_modules/swagger-ui-dist}"
  [[ -f "$HERE/openapi.json" ]] || die "no $HERE/openapi.json (the merged API document; see docs/api/README.md)"
  rm -rf "$www.tmp"
  mkdir -p "$www.tmp"
  cp "$HERE/openapi.json" "$www.tmp/openapi.json"
  if [[ -f "$dist/swagger-ui-bundle.js" && -f "$dist/swagger-ui.css" ]]; then
    mkdir -p "$www.tmp/docs"
    cp "$HERE"/docs/* "$dist/swagger-ui-bundle.js" "$dist/swagger-ui.css" "$www.tmp/docs/"
  fi
  rm -rf "$www"
  mv "$www.tmp" "$www"
}

render() {
  (($# == 6)) || die "usage: gateway.sh render DIR LISTEN AUTH ACCOUNT ADMIN_AUDIT NOTIFICATION"
  local dir="$1" conf name value
  local -A values=([LISTEN]="$2" [AUTH]="$3" [ACCOUNT]="$4" [ADMIN_AUDIT]="$5" [NOTIFICATION]="$6")
  for name in "${!values[@]}"; do check_address "$name" "${values[$name]}"; done
  values[UPSTREAM_TIMEOUT]="${GATEWAY_UPSTREAM_TIMEOUT:-30}"
  [[ "${values[UPSTREAM_TIMEOUT]}" =~ ^[1-9][0-9]{0,3}$ ]] \
    || die "GATEWAY_UPSTREAM_TIMEOUT: expected whole seconds (1-9999), got '${values[UPSTREAM_TIMEOUT]}'"
  mkdir -p "$dir/logs" "$dir/temp"
  dir="$(cd "$dir" && pwd)"
  # It is spliced into nginx directives unquoted.
  local unsafe='[[:space:];"{}$'"']"
  ! [[ "$dir" =~ $unsafe ]] || die "the folder must not contain spaces, quotes, braces, ; or \$: $dir"
  values[STATE]="$dir"
  copy_www "$dir/www"
  conf="$(<"$TEMPLATE")"
  for name in "${!values[@]}"; do
    value="${values[$name]}"
    conf="${conf//@$name@/$value}"
  done
  ! [[ "$conf" =~ @[A-Z_]+@ ]] || die "a placeholder was left unreplaced in $TEMPLATE"
  printf '%s\n' "$conf" >"$dir/nginx.conf.tmp"
  # -e: nginx opens its error log before reading the config; keep it in DIR too.
  if ! "$(nginx_bin)" -t -q -p "$dir/" -e "$dir/logs/error.log" -c "$dir/nginx.conf.tmp" 2>"$dir/logs/check.log"; then
    cat "$dir/logs/check.log" >&2
    die "nginx refused the rendered config ($dir/nginx.conf.tmp)"
  fi
  mv -f "$dir/nginx.conf.tmp" "$dir/nginx.conf"
}

run() {
  (($# == 1)) || die "usage: gateway.sh run DIR"
  local dir
  dir="$(cd "$1" && pwd)"
  [[ -f "$dir/nginx.conf" ]] || die "no $dir/nginx.conf: render it first"
  exec "$(nginx_bin)" -p "$dir/" -e "$dir/logs/error.log" -c "$dir/nginx.conf"
}

case "${1:-}" in
  render) shift; render "$@" ;;
  run)    shift; run "$@" ;;
  nginx)  nginx_bin ;;
  *) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
