#!/usr/bin/env bash
# Smoke test of deploy/local/sentinel on this machine as it is: what a new user's laptop
# without PostgreSQL or Redis needs. It points sentinel at a scratch state folder and at
# free ports for PostgreSQL and Redis, so `infra` must start private servers there, then
# checks that a second `infra` reuses them, that `status` reports them truthfully, and that
# `down --all` stops them while leaving the Kafka and SMTP capture of another clone running.
# Run by `sentinel test` before the build; about 10 s. Nothing of the shared servers is
# stopped or changed (the databases are created in the private cluster only).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SENTINEL="$ROOT/deploy/local/sentinel"

# A port nothing listens on now (node: sentinel test installs it for the secret scan).
free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

SCRATCH="$(mktemp -d /tmp/sentinel-smoke.XXXXXX)"
# The postgres OS user runs the private cluster from inside the scratch folder.
chmod 755 "$SCRATCH"
PG="$(free_port)"
REDIS="$(free_port)"

run() { SENTINEL_STATE_DIR="$SCRATCH/state" PG_PORT="$PG" REDIS_PORT="$REDIS" "$SENTINEL" "$@" 2>&1; }

cleanup() {
  run down --all >/dev/null || true
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

STEP=""
# expect OUTPUT REGEX: fail naming the step unless a line of OUTPUT matches REGEX.
expect() {
  grep -qE -- "$2" <<<"$1" && return 0
  printf 'smoke test, step "%s": no line matches /%s/ in:\n%s\n' "$STEP" "$2" "$1" >&2
  exit 1
}

# refuse OUTPUT REGEX: fail naming the step if a line of OUTPUT matches REGEX.
refuse() {
  grep -qE -- "$2" <<<"$1" || return 0
  printf 'smoke test, step "%s": a line matches /%s/ in:\n%s\n' "$STEP" "$2" "$1" >&2
  exit 1
}

STEP="infra on free ports"
out="$(run infra)"
expect "$out" "^postgres +started +127\.0\.0\.1:$PG \(private cluster in "
expect "$out" "^redis +started +127\.0\.0\.1:$REDIS \(pid [0-9]+"
expect "$out" "databases (created|present): auth account audit notification"
expect "$out" "^kafka +reused"
expect "$out" "^infra ready"
# The private cluster really serves: the databases sentinel created are there.
psql -X -q -h 127.0.0.1 -p "$PG" -U postgres -d auth -Atc 'select 1' >/dev/null

STEP="infra again"
out="$(run infra)"
expect "$out" "^postgres +reused +127\.0\.0\.1:$PG \(started earlier by sentinel\)"
expect "$out" "^redis +reused +127\.0\.0\.1:$REDIS \(started earlier by sentinel\)"
expect "$out" "databases present: auth account audit notification"

STEP="status"
out="$(run status)"
expect "$out" "^postgres +running +127\.0\.0\.1:$PG +\(started by sentinel: private\)"
expect "$out" "^redis +running +127\.0\.0\.1:$REDIS +pid [0-9]+"
expect "$out" "^auth +stopped"

STEP="down --all"
out="$(run down --all)"
expect "$out" "^postgres +stopped"
expect "$out" "^redis +stopped"
# Kafka and the SMTP capture belong to another clone (or to nobody): never stopped from here.
refuse "$out" "^(kafka|smtp) +stopped"

STEP="status after down"
out="$(run status)"
expect "$out" "^postgres +stopped +127\.0\.0\.1:$PG"
expect "$out" "^redis +stopped +127\.0\.0\.1:$REDIS"
expect "$out" "^kafka +running"
printf '%-13s%s\n' smoke "passed: private PostgreSQL :$PG and Redis :$REDIS started, reused, reported, stopped"
