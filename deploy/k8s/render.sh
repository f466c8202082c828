#!/usr/bin/env bash
# render.sh — writes the two files of deploy/k8s/base that are made from another source,
# so each rule has one home:
#   base/gateway/nginx.conf             from deploy/gateway/nginx.conf.template (the same
#                                       placeholders deploy/gateway/gateway.sh fills, plus the
#                                       in-pod paths: logs to stdout/stderr, temp files in /tmp,
#                                       and an include of conf.d/ for the probe port and real_ip)
#   base/monitoring/prometheus-rules.yaml  one PrometheusRule per deploy/prometheus/rules/*.yml
#   base/gateway/openapi.json.gz        deploy/gateway/openapi.json gzipped (the merged API
#                                       document the gateway serves as /openapi.json; 18 KB
#                                       instead of 0.9 MB keeps the ConfigMap far below the
#                                       size `kubectl apply` can annotate)
#
#   render.sh          rewrite both files
#   render.sh --check  fail when a committed file differs from what its source gives
# check.sh runs the --check form, so an edit to a source without a re-render fails the tests.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TEMPLATE="$ROOT/deploy/gateway/nginx.conf.template"
RULES="$ROOT/deploy/prometheus/rules"
NGINX_OUT="base/gateway/nginx.conf"
RULES_OUT="base/monitoring/prometheus-rules.yaml"
OPENAPI="$ROOT/deploy/gateway/openapi.json"
OPENAPI_OUT="base/gateway/openapi.json.gz"

die() { printf 'k8s render: %s\n' "$*" >&2; exit 1; }

# The gateway in a pod: upstreams are the Services, nginx listens on 8080 (non-root).
render_nginx() {
  local conf name value
  local -A values=([LISTEN]=8080 [AUTH]=auth-service:8081 [ACCOUNT]=account-service:8082
                   [ADMIN_AUDIT]=admin-audit-service:8083 [NOTIFICATION]=notification-service:8084
                   [UPSTREAM_TIMEOUT]=30)
  conf="$(<"$TEMPLATE")"
  # In-pod paths first (they contain @STATE@): logs to the container's streams, the rest in
  # the /tmp emptyDir (the root filesystem is read-only).
  conf="${conf//"@STATE@/www"/"/etc/sentinel-gateway/www"}"   # the ConfigMap's www/ (openapi.json.gz)
  conf="${conf//"pid @STATE@/nginx.pid;"/"pid /tmp/nginx.pid;"}"
  conf="${conf//"@STATE@/logs/error.log"/"/dev/stderr"}"
  conf="${conf//"@STATE@/logs/access.log"/"/dev/stdout"}"
  conf="${conf//"@STATE@/temp/"/"/tmp/"}"
  conf="${conf//@STATE@//tmp}"
  for name in "${!values[@]}"; do
    value="${values[$name]}"
    conf="${conf//@$name@/$value}"
  done
  ! [[ "$conf" =~ @[A-Z_]+@ ]] || die "a placeholder of $TEMPLATE is not known here: $(grep -o '@[A-Z_]*@' <<<"$conf" | sort -u | tr '\n' ' ')"
  [[ "${conf##*$'\n'}" == "}" ]] || die "$TEMPLATE no longer ends with the closing brace of its http block"
  printf '# Rendered by deploy/k8s/render.sh from deploy/gateway/nginx.conf.template: edit that, then run render.sh.\n'
  printf '%s\n' "${conf%\}}    # deploy/k8s: the probe port (8079) and the real_ip settings of the overlay.
    include /etc/sentinel-gateway/conf.d/*.conf;
}"
}

render_rules() {
  local file base
  printf '# Rendered by deploy/k8s/render.sh from deploy/prometheus/rules/*.yml: edit those, then run render.sh.\n'
  for file in "$RULES"/*.yml; do
    base="$(basename "$file" .yml)"
    [[ "$base" =~ ^[a-z0-9-]+$ ]] || die "rule file name not usable as an object name: $file"
    printf -- '---\napiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: sentinel-%s\n  labels: {app.kubernetes.io/part-of: sentinel}\nspec:\n' "$base"
    # The rule file is a {groups: [...]} document: indented, it is the spec as it is.
    grep -v '^---$' "$file" | sed -e 's/^\(.\)/  \1/'
  done
}

TMP=""
cleanup() { [[ -z "$TMP" ]] || rm -rf "$TMP"; }
trap cleanup EXIT

main() {
  local tmp rc=0
  TMP="$(mktemp -d)"
  tmp="$TMP"
  mkdir -p "$tmp/base/gateway" "$tmp/base/monitoring"
  render_nginx >"$tmp/$NGINX_OUT"
  render_rules >"$tmp/$RULES_OUT"
  if [[ "${1:-}" == "--check" ]]; then
    for f in "$NGINX_OUT" "$RULES_OUT"; do
      if ! diff -u "$HERE/$f" "$tmp/$f" >&2; then
        printf 'k8s render: deploy/k8s/%s is out of date with its source; run deploy/k8s/render.sh\n' "$f" >&2
        rc=1
      fi
    done
    # Compared unpacked: another gzip may pack the same text into other bytes.
    if ! gzip -dc "$HERE/$OPENAPI_OUT" 2>/dev/null | cmp -s - "$OPENAPI"; then
      printf 'k8s render: deploy/k8s/%s is out of date with deploy/gateway/openapi.json; run deploy/k8s/render.sh\n' "$OPENAPI_OUT" >&2
      rc=1
    fi
  else
    cp "$tmp/$NGINX_OUT" "$HERE/$NGINX_OUT"
    cp "$tmp/$RULES_OUT" "$HERE/$RULES_OUT"
    gzip -9 -n -c "$OPENAPI" >"$HERE/$OPENAPI_OUT"
  fi
  return "$rc"
}

main "$@"
