# shellcheck shell=bash
# Part of deploy/local/sentinel (sourced by it, never run alone): the command test.

# Every shell script of the project, checked by shellcheck (Debian package). The entry
# points are checked with -x, which resolves what they source; each lib/ part is also
# checked on its own, where settings and functions defined in another part are not errors
# (SC2034 unused, SC2153/SC2154 unassigned): the -x pass has checked those across files.
SHELL_SCRIPTS=(deploy/local/sentinel deploy/local/secret-scan.sh deploy/local/smoke-test.sh
               deploy/gateway/gateway.sh deploy/prometheus/check.sh deploy/grafana/check.sh
               deploy/k8s/check.sh deploy/k8s/render.sh .ci/run)

check_scripts() {
  command -v shellcheck >/dev/null 2>&1 || apt_install shellcheck
  (cd "$ROOT" && shellcheck -x "${SHELL_SCRIPTS[@]}" \
    && shellcheck -x -e SC2034,SC2153,SC2154 deploy/local/lib/*.sh) \
    || die "shellcheck found problems in the scripts (see above)"
  report shellcheck "clean: ${#SHELL_SCRIPTS[@]} scripts and $(find "$HERE/lib" -name '*.sh' | wc -l) parts"
}

# Redocly CLI (npm) for OpenApiLintIT, which lints every running service's /q/openapi.
REDOCLY_VERSION=2.77.0

ensure_redocly() {
  local dir="$STATE/node/redocly" bin
  bin="$dir/node_modules/.bin/redocly"
  if [[ -x "$bin" ]] && [[ "$("$bin" --version 2>/dev/null)" == *"$REDOCLY_VERSION"* ]]; then
    return
  fi
  mkdir -p "$dir"
  (cd "$dir" && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "@redocly/cli@$REDOCLY_VERSION" >/dev/null) || die "could not install Redocly CLI $REDOCLY_VERSION from npm"
  report redocly "installed $REDOCLY_VERSION (OpenAPI lint)"
}

# The browser tests (OpenApiGatewayIT, BrowserSessionIT in system-tests): Debian's Chromium
# driven by playwright-core from npm, which has no browser of its own and never downloads one.
PLAYWRIGHT_VERSION=1.65.1

ensure_chromium() {
  command -v chromium >/dev/null 2>&1 || [[ -x /usr/bin/chromium ]] || apt_install chromium
}

ensure_playwright() {
  local dir="$STATE/node/playwright" pkg
  pkg="$dir/node_modules/playwright-core/package.json"
  if [[ -f "$pkg" ]] && grep -q "\"version\": *\"$PLAYWRIGHT_VERSION\"" "$pkg"; then
    return
  fi
  mkdir -p "$dir"
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-save --no-package-lock --no-audit --no-fund \
      --loglevel=error "playwright-core@$PLAYWRIGHT_VERSION" >/dev/null) \
    || die "could not install playwright-core $PLAYWRIGHT_VERSION from npm"
  report playwright "installed playwright-core $PLAYWRIGHT_VERSION (browser tests, with Debian's chromium)"
}

cmd_test() {
  check_scripts
  # No committed secret gets as far as a build (see secret-scan.sh and .secretlintrc.json).
  command -v npm >/dev/null 2>&1 || apt_install npm
  SENTINEL_STATE_DIR="$STATE" "$HERE/secret-scan.sh" || die "the secret scan failed (see above)"
  ensure_redocly
  # The gateway's merged API document: the merge step's own unit tests (the real documents are
  # merged and compared with deploy/gateway/openapi.json by OpenApiGatewayIT).
  node --test "$ROOT/deploy/gateway/openapi-merge.test.mjs" >"$STATE/openapi-merge-test.log" 2>&1 \
    || { cat "$STATE/openapi-merge-test.log" >&2; die "the unit tests of deploy/gateway/openapi-merge.mjs failed (see above)"; }
  report openapi "merge step: unit tests passed"
  ensure_swagger_ui
  ensure_chromium
  ensure_playwright
  # Alert and recording rules: promtool check + unit tests (promtool fetched on first use).
  SENTINEL_STATE_DIR="$STATE" "$ROOT/deploy/prometheus/check.sh" || die "the Prometheus rule checks failed (see above)"
  # Dashboards: JSON, uids, data source, every PromQL expression parsed (the metrics they read
  # are checked against the running services by MetricsContractIT).
  SENTINEL_STATE_DIR="$STATE" "$ROOT/deploy/grafana/check.sh" || die "the Grafana dashboard checks failed (see above)"
  # The system tests run the gateway (deploy/gateway) with Debian's nginx.
  ensure_nginx
  # Kubernetes manifests: both overlays render, validate offline and keep their security,
  # network and sizing rules; the gateway's rendered config passes nginx -t (deploy/k8s/README.md).
  SENTINEL_STATE_DIR="$STATE" "$ROOT/deploy/k8s/check.sh" || die "the Kubernetes manifest checks failed (see above)"
  take_infra_lock
  ensure_infra
  release_infra_lock
  # The script itself, on this machine: private PostgreSQL and Redis on free ports, from a
  # scratch state folder (infra twice, status, down --all).
  "$HERE/smoke-test.sh" || die "the smoke test of deploy/local/sentinel failed (see above)"
  cd "$ROOT" || die "cannot enter $ROOT"
  # Tests own their configuration (%test profile); only Maven's JVM gets a default here.
  default_env MAVEN_OPTS "-Xmx1g -XX:+UseParallelGC"
  report test "./mvnw -B verify $*"
  if maven_lock_held_above || ! command -v flock >/dev/null 2>&1; then
    exec ./mvnw -B verify "$@"
  fi
  flock -n "$MAVEN_LOCK" true 2>/dev/null || say "  waiting for the Maven lock ($MAVEN_LOCK)"
  export SENTINEL_MAVEN_LOCK_HELD=1
  exec flock "$MAVEN_LOCK" ./mvnw -B verify "$@"
}
