#!/usr/bin/env bash
# Smoke test of deploy/local/sentinel on this machine as it is: what a new user's laptop
# without PostgreSQL or Redis needs. It points sentinel at a scratch state folder and at
# free ports for PostgreSQL and Redis, so `infra` must start private servers there, then
# checks that a second `infra` reuses them, that `status` reports them truthfully, that
# `backup` and `restore` make a round trip of the four databases and the audit checkpoint
# mirror (and refuse a used folder and a damaged backup), and that `down --all` stops them
# while leaving the Kafka and SMTP capture of another clone running.
# Run by `sentinel test` before the build; about 15 s. Nothing of the shared servers is
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

CHECKPOINTS="$SCRATCH/state/audit-checkpoints"
run() {
  SENTINEL_STATE_DIR="$SCRATCH/state" PG_PORT="$PG" REDIS_PORT="$REDIS" AUDIT_CHECKPOINT_MIRROR_DIR="$CHECKPOINTS" \
    "$SENTINEL" "$@" 2>&1
}
sql() { psql -X -q -h 127.0.0.1 -p "$PG" -U postgres -v ON_ERROR_STOP=1 -d "$1" -Atc "$2"; }

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

STEP="backup"
for db in auth account audit notification; do
  sql "$db" "CREATE TABLE smoke_backup (v text PRIMARY KEY); INSERT INTO smoke_backup VALUES ('$db-kept')"
done
mkdir -p "$CHECKPOINTS"
head -c 64 /dev/urandom | base64 -w0 >"$CHECKPOINTS/checkpoint-1.txt"
checkpoint="$(<"$CHECKPOINTS/checkpoint-1.txt")"
out="$(run backup "$SCRATCH/backup")"
expect "$out" "^backup +auth account audit notification and 1 checkpoint file\(s\) in $SCRATCH/backup"
[[ "$(stat -c %a "$SCRATCH/backup")" == 700 && "$(stat -c %a "$SCRATCH/backup/auth.dump")" == 600 ]] \
  || { echo "smoke test: the backup is readable by others: $(ls -la "$SCRATCH/backup")" >&2; exit 1; }

STEP="backup into a used folder"
if out="$(run backup "$SCRATCH/backup")"; then
  printf 'smoke test, step "%s": it succeeded:\n%s\n' "$STEP" "$out" >&2; exit 1
fi
expect "$out" "exists and is not an empty folder"

# What happens after the backup: rows changed, a table added, the checkpoints changed.
for db in auth account audit notification; do
  sql "$db" "DELETE FROM smoke_backup; INSERT INTO smoke_backup VALUES ('$db-after-backup')"
done
sql auth "CREATE TABLE smoke_later (v text)"
rm "$CHECKPOINTS/checkpoint-1.txt"
echo stray >"$CHECKPOINTS/stray.txt"

STEP="restore of a damaged backup"
cp -a "$SCRATCH/backup" "$SCRATCH/damaged"
printf 'x' >>"$SCRATCH/damaged/audit.dump"
if out="$(run restore "$SCRATCH/damaged")"; then
  printf 'smoke test, step "%s": it succeeded:\n%s\n' "$STEP" "$out" >&2; exit 1
fi
expect "$out" "does not match its SHA256SUMS"
expect "$(sql auth 'SELECT v FROM smoke_backup')" "^auth-after-backup$"

STEP="restore"
out="$(run restore "$SCRATCH/backup")"
expect "$out" "^restore +auth account audit notification and 1 checkpoint file\(s\) from $SCRATCH/backup"
for db in auth account audit notification; do
  expect "$(sql "$db" "SELECT string_agg(v, ',' ORDER BY v) FROM smoke_backup")" "^$db-kept$"
done
expect "$(sql auth "SELECT count(*) FROM pg_tables WHERE tablename = 'smoke_later'")" "^0$"
expect "$(sql postgres "SELECT count(*) FROM pg_database WHERE datname LIKE '%\_\_restoring' OR datname LIKE '%\_\_before\_restore'")" "^0$"
[[ "$(cat "$CHECKPOINTS/checkpoint-1.txt")" == "$checkpoint" && ! -e "$CHECKPOINTS/stray.txt" ]] \
  || { echo "smoke test: the checkpoint mirror is not the backed-up one: $(ls "$CHECKPOINTS")" >&2; exit 1; }

STEP="restore --into a copy"
sql auth "INSERT INTO smoke_backup VALUES ('auth-live')"
out="$(run restore "$SCRATCH/backup" --into _copy)"
expect "$out" "^restore +auth_copy account_copy audit_copy notification_copy from $SCRATCH/backup"
expect "$(sql auth_copy "SELECT string_agg(v, ',' ORDER BY v) FROM smoke_backup")" "^auth-kept$"
expect "$(sql auth "SELECT string_agg(v, ',' ORDER BY v) FROM smoke_backup")" "^auth-kept,auth-live$"

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
printf '%-13s%s\n' smoke "passed: private PostgreSQL :$PG and Redis :$REDIS started, reused, reported, backed up and restored, stopped"
