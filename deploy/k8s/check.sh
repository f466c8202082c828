#!/usr/bin/env bash
# check.sh — checks deploy/k8s without a cluster (deploy/k8s/README.md, "Checks"):
#   1. base/gateway/nginx.conf and base/monitoring/prometheus-rules.yaml are in sync with
#      their sources (render.sh --check);
#   2. every overlay renders with plain `kubectl kustomize` (or `kustomize build`);
#   3. check/validate.mjs: every rendered object validates offline against its schema, and
#      the security, probe, resource, network, Kafka and PostgreSQL properties hold;
#   4. each overlay's gateway config, as rendered into its ConfigMap, passes `nginx -t`
#      (Debian's nginx; the Services' names swapped for 127.0.0.1, the pod paths for a folder).
# Node packages are pinned below and installed into the state folder on first use, like the
# secret scan's. `deploy/local/sentinel test` runs it before the Maven build.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE="${SENTINEL_STATE_DIR:-$ROOT/deploy/local/.state}"
TOOLS="$STATE/node/k8s-check"
OVERLAYS=(dev prod)
# kubernetes-models: the Kubernetes kinds; prometheus-operator: ServiceMonitor, PrometheusRule;
# yaml: the rendered multi-document stream; ajv: the structural schemas of crd-schemas.mjs.
PACKAGES=(kubernetes-models@5.1.0 @kubernetes-models/prometheus-operator@6.0.0 yaml@2.8.1 ajv@8.20.0)

die() { printf 'k8s: %s\n' "$*" >&2; exit 1; }
say() { printf 'k8s          %s\n' "$*"; }

install_packages() {
  local stamp="$TOOLS/.installed"
  [[ -f "$stamp" && "$(<"$stamp")" == "${PACKAGES[*]}" ]] && return
  command -v npm >/dev/null || die "npm is needed (Debian: apt-get install npm)"
  say "installing ${PACKAGES[*]} (first run only)"
  rm -rf "$TOOLS"
  mkdir -p "$TOOLS"
  (cd "$TOOLS" && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "${PACKAGES[@]}" >/dev/null) || die "npm install failed"
  printf '%s' "${PACKAGES[*]}" >"$stamp"
}

# A renderer that understands these kustomizations (kustomize v5 syntax: labels, patches):
# kustomize itself, or a kubectl that embeds kustomize v5 (kubectl >= 1.27). Debian's
# kubernetes-client is kubectl 1.20 with kustomize v2.0.3, which cannot read them, so it is
# no fallback; the machine image carries a current kubectl.
RENDER=()
find_renderer() {
  local version
  if command -v kustomize >/dev/null 2>&1 && [[ "$(kustomize version 2>/dev/null)" =~ v5\. ]]; then
    RENDER=(kustomize build); return
  fi
  if command -v kubectl >/dev/null 2>&1; then
    version="$(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: //p')"
    if [[ "$version" =~ ^v5\. ]]; then RENDER=(kubectl kustomize); return; fi
  fi
  die "no kustomize v5: install kubectl >= 1.27 or kustomize v5 (Debian's kubernetes-client 1.20 is too old)"
}

# nginx -t needs the upstream names to resolve and the in-pod paths to exist: point both
# at a scratch folder and loopback; everything else is checked as it will run.
nginx_test() {
  local dir="$1" overlay="$2" nginx conf
  nginx="$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)"
  [[ -x "$nginx" ]] || die "nginx is needed for nginx -t (Debian package nginx)"
  conf="$dir/$overlay"
  mkdir -p "$conf/conf.d" "$conf/tmp"
  mv "$conf/health.conf" "$conf/real-ip.conf" "$conf/conf.d/"
  # /tmp first: the scratch folder itself is under /tmp.
  sed -i -e 's/server [a-z-]*:\([0-9]*\);/server 127.0.0.1:\1;/' \
      -e "s|/tmp/|$conf/tmp/|g" -e "s|/etc/sentinel-gateway/conf.d/|$conf/conf.d/|" "$conf/nginx.conf"
  if ! "$nginx" -T -q -p "$conf/" -e /dev/stderr -c "$conf/nginx.conf" >"$conf/dump.txt"; then
    die "overlays/$overlay: the gateway config fails nginx -t"
  fi
  # The include of conf.d/ is a glob: make sure it found both files.
  local file
  for file in health.conf real-ip.conf; do
    grep -q "^# configuration file $conf/conf.d/$file:" "$conf/dump.txt" \
      || die "overlays/$overlay: nginx did not read conf.d/$file"
  done
}

WORK=""
cleanup() { [[ -z "$WORK" ]] || rm -rf "$WORK"; }
trap cleanup EXIT

main() {
  local t0=$SECONDS work overlay args=()
  "$HERE/render.sh" --check || die "generated files out of date (see above)"
  find_renderer
  install_packages
  WORK="$(mktemp -d)"
  work="$WORK"
  for overlay in "${OVERLAYS[@]}"; do
    if ! "${RENDER[@]}" "$HERE/overlays/$overlay" >"$work/$overlay.yaml" 2>"$work/$overlay.err"; then
      cat "$work/$overlay.err" >&2
      die "overlays/$overlay does not render with ${RENDER[*]}"
    fi
    # A deprecation warning today is a render failure with the next kustomize.
    if [[ -s "$work/$overlay.err" ]]; then
      cat "$work/$overlay.err" >&2
      die "overlays/$overlay renders with warnings"
    fi
    args+=("$overlay=$work/$overlay.yaml")
  done
  if ! K8S_REPO_ROOT="$ROOT" K8S_GATEWAY_CONF_DIR="$work/gateway" node "$HERE/check/validate.mjs" "$TOOLS" "${args[@]}"; then
    die "the rendered manifests fail the checks (see above)"
  fi
  for overlay in "${OVERLAYS[@]}"; do nginx_test "$work/gateway" "$overlay"; done
  say "${OVERLAYS[*]} rendered with ${RENDER[*]} and checked ($((SECONDS - t0)) s)"
}

main "$@"
