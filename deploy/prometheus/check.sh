#!/usr/bin/env bash
# check.sh — checks the Prometheus rules in deploy/prometheus/rules with promtool:
#   1. `promtool check rules`: every file parses, every expression is valid PromQL;
#   2. every alerting and recording rule is named in at least one unit test;
#   3. `promtool test rules`: the unit tests in deploy/prometheus/tests pass.
# promtool comes from PATH, else from Debian's `prometheus` package extracted (never
# installed, so no server is started) into the state folder on first use.
# `deploy/local/sentinel test` runs it before the Maven build. That metric names in the
# rules exist in what the services export is checked by system-tests' MetricsContractIT.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE="${SENTINEL_STATE_DIR:-$ROOT/deploy/local/.state}"
TOOLS="$STATE/prometheus"

die() { printf 'prometheus: %s\n' "$*" >&2; exit 1; }
say() { printf 'prometheus   %s\n' "$*"; }

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# Debian's package, unpacked into $TOOLS (apt-get download needs no root; an apt-get
# update only when the package lists do not know it yet).
fetch_promtool() {
  local work deb
  work="$(mktemp -d)"
  say "fetching promtool from Debian's prometheus package (first run only)"
  if ! (cd "$work" && apt-get download -qq prometheus >/dev/null 2>&1); then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    (cd "$work" && apt-get download -qq prometheus >/dev/null) || die "apt-get download prometheus failed"
  fi
  deb="$(ls "$work"/prometheus_*.deb)" || die "no prometheus .deb downloaded"
  rm -rf "$TOOLS.tmp"
  mkdir -p "$TOOLS.tmp"
  dpkg-deb -x "$deb" "$TOOLS.tmp"
  [[ -x "$TOOLS.tmp/usr/bin/promtool" ]] || die "the package has no usr/bin/promtool"
  rm -rf "$TOOLS"
  mv "$TOOLS.tmp" "$TOOLS"
  # Not a RETURN trap: that one would outlive this function and fire, with $work unset,
  # when the next function returns.
  rm -rf "$work"
}

promtool_bin() {
  if command -v promtool >/dev/null 2>&1; then command -v promtool; return; fi
  [[ -x "$TOOLS/usr/bin/promtool" ]] || fetch_promtool >&2
  printf '%s\n' "$TOOLS/usr/bin/promtool"
}

# Every `- alert: X` must appear as `alertname: X` in a test, every `- record: X` in a
# test's expression or series: a rule nobody tests is a failure, not a warning.
every_rule_tested() {
  local missing=() name
  while IFS= read -r name; do
    grep -qE "alertname: *$name *$" "$HERE"/tests/*.yml || missing+=("alert $name")
  done < <(sed -nE 's/^ *- alert: *([A-Za-z0-9_]+) *$/\1/p' "$HERE"/rules/*.yml)
  while IFS= read -r name; do
    grep -qF -- "$name" "$HERE"/tests/*.yml || missing+=("recording rule $name")
  done < <(sed -nE 's/^ *- record: *([A-Za-z0-9_:]+) *$/\1/p' "$HERE"/rules/*.yml)
  if ((${#missing[@]})); then
    printf '  no unit test names %s\n' "${missing[@]}" >&2
    die "every rule needs a test in deploy/prometheus/tests"
  fi
}

main() {
  local promtool t0=$SECONDS
  promtool="$(promtool_bin)"
  say "$("$promtool" --version 2>&1 | head -n 1)"
  "$promtool" check rules "$HERE"/rules/*.yml
  every_rule_tested
  (cd "$HERE/tests" && "$promtool" test rules ./*.yml)
  say "rules checked and tested ($((SECONDS - t0)) s)"
}

main "$@"
