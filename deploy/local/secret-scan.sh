#!/usr/bin/env bash
# Scans every file git tracks for committed secrets with secretlint (npm, pinned below) and
# the rules in the repository's .secretlintrc.json: the recommended preset plus our own
# patterns (a private JWK's "d", long base64/hex values of key, secret and password
# settings). Test keys are recognised in one place, that file's "allows": a test key is
# base64 of text that starts with "test-" (dGVzdC…). Before the repository, it scans a
# planted secret and fails unless that is found, so a broken setup cannot pass quietly.
#
# usage: deploy/local/secret-scan.sh            (from anywhere; exit 1 on a finding)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="${SENTINEL_STATE_DIR:-$ROOT/deploy/local/.state}/node/secretlint"
SECRETLINT_VERSION=13.0.6
PRESET_VERSION=13.1.0

install_secretlint() {
  local bin="$TOOLS/node_modules/.bin/secretlint"
  if [[ -x "$bin" ]] && [[ "$("$bin" --version 2>/dev/null)" == *"$SECRETLINT_VERSION"* ]]; then
    return
  fi
  command -v npm >/dev/null || { echo "secret-scan: npm is needed (Debian: apt-get install npm)" >&2; exit 1; }
  mkdir -p "$TOOLS"
  (cd "$TOOLS" && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "secretlint@$SECRETLINT_VERSION" "@secretlint/secretlint-rule-preset-recommend@$PRESET_VERSION" \
      "@secretlint/secretlint-rule-pattern@$SECRETLINT_VERSION" >/dev/null)
}

scan() { "$TOOLS/node_modules/.bin/secretlint" --secretlintrc "$ROOT/.secretlintrc.json" --maskSecrets "$@"; }

self_check() {
  local dir planted
  dir="$(mktemp -d)"
  # Assembled at run time, so no secret-looking value is committed here.
  planted="$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
  printf 'app.signing-key=%s\n' "$planted" >"$dir/leak.properties"
  if scan "$dir/leak.properties" >/dev/null 2>&1; then
    rm -rf "$dir"
    echo "secret-scan: the scanner missed a planted key; its setup is broken" >&2
    exit 1
  fi
  rm -rf "$dir"
}

install_secretlint
self_check
cd "$ROOT"
mapfile -d '' files < <(git ls-files -z)
if ! scan "${files[@]}"; then
  echo "secret-scan: secrets in tracked files (a test key must be base64 of text starting 'test-')" >&2
  exit 1
fi
echo "secret-scan: ${#files[@]} tracked files, no secrets"
