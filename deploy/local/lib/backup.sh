# shellcheck shell=bash
# Part of deploy/local/sentinel (sourced by it, never run alone): the commands backup and restore.
# ---------------------------------------------------------------------------------------
# A backup folder holds, for the PostgreSQL on 127.0.0.1:$PG_PORT:
#   <db>.dump          pg_dump --format=custom of each of BACKUP_DATABASES (schema, data and
#                      Flyway's history: a restored database is at the version it was dumped at)
#   audit-checkpoints/ the audit checkpoint mirror (AUDIT_CHECKPOINT_MIRROR_DIR, by default
#                      .state/audit-checkpoints): the signed checkpoints outside the database
#   secrets.sha256     a fingerprint of .state/secrets.env, never the secrets themselves
#   SHA256SUMS         of everything above; restore refuses a folder that does not match
# Each dump is consistent within its database; for one moment across all four, stop the
# services first (`sentinel down`). The dumps hold personal data: the folder is made 0700.
# ---------------------------------------------------------------------------------------
BACKUP_DATABASES=(auth account audit notification)
# The databases are <name>$SENTINEL_DB_SUFFIX: empty for `sentinel up`'s, _e2e for the system
# tests' suite (BackupRestoreIT backs that one up). The dump files keep the plain names.
DB_SUFFIX="${SENTINEL_DB_SUFFIX:-}"

checkpoint_dir() { printf '%s\n' "${AUDIT_CHECKPOINT_MIRROR_DIR:-$STATE/audit-checkpoints}"; }

backup_psql() {
  PGOPTIONS='-c client_min_messages=warning' psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 "$@"
}

backup_needs_postgres() {
  if ! command -v pg_dump >/dev/null 2>&1 || ! command -v pg_restore >/dev/null 2>&1; then
    apt_install postgresql-client
  fi
  pg_answers || die "PostgreSQL on 127.0.0.1:$PG_PORT does not answer (start it: deploy/local/sentinel infra)"
}

secrets_fingerprint() {
  if [[ -f "$SECRETS" ]]; then sha256sum <"$SECRETS" | cut -d' ' -f1; else echo none; fi
}

check_suffix() {
  [[ "$2" =~ $3 ]] || die "$1: expected ${4}, got '$2'"
}

cmd_backup() {
  (($# == 1)) || die "usage: sentinel backup DIR (a new or empty folder)"
  local dir="$1" db t0 checkpoints sums
  t0="$(now_ms)"
  check_suffix SENTINEL_DB_SUFFIX "$DB_SUFFIX" '^[a-z0-9_]*$' "lower-case letters, digits and _"
  if [[ -e "$dir" ]]; then
    [[ -d "$dir" && -z "$(ls -A "$dir")" ]] || die "backup: $dir exists and is not an empty folder; give a new one"
  fi
  backup_needs_postgres
  # The dumps hold personal data: nobody else reads the folder or what is in it.
  umask 077
  mkdir -p "$dir"
  chmod 700 "$dir"
  dir="$(cd "$dir" && pwd)"
  # The checkpoints first, then the databases: a checkpoint reaches the mirror only after its
  # row is committed, so every mirrored one is in the dump too. The other order could copy a
  # checkpoint over rows the dump does not have, and the restored log would verify as truncated.
  checkpoints="$(checkpoint_dir)"
  mkdir -p "$dir/audit-checkpoints"
  if [[ -d "$checkpoints" ]]; then
    cp -a "$checkpoints/." "$dir/audit-checkpoints/" || die "backup: copying $checkpoints failed"
  fi
  for db in "${BACKUP_DATABASES[@]}"; do
    pg_dump -h 127.0.0.1 -p "$PG_PORT" -U postgres --format=custom --file="$dir/$db.dump" "$db$DB_SUFFIX" \
      || die "backup: pg_dump of database $db$DB_SUFFIX failed; $dir is incomplete"
  done
  secrets_fingerprint >"$dir/secrets.sha256"
  sums="$(cd "$dir" && find . -type f -printf '%P\n' | LC_ALL=C sort | xargs -r -d '\n' sha256sum)"
  printf '%s\n' "$sums" >"$dir/SHA256SUMS"
  report backup "${BACKUP_DATABASES[*]/%/$DB_SUFFIX} and $(find "$dir/audit-checkpoints" -type f | wc -l) checkpoint file(s) in $dir ($(since "$t0"))"
}

# Refuses while a service of this state folder runs: it would keep writing to what is replaced.
restore_needs_services_stopped() {
  local svc running=()
  for svc in "${SERVICES[@]}"; do
    if pid_of "$svc" "$(service_jar "$svc")" >/dev/null; then running+=("$svc"); fi
  done
  ((${#running[@]} == 0)) || die "restore: stop the services first (deploy/local/sentinel down); running: ${running[*]}"
}

# Restores DB from FILE into a scratch database, then swaps it in: the old one stays
# untouched until the new one is complete.
restore_database() {
  local db="$1" file="$2" scratch="${1}__restoring" old="${1}__before_restore"
  backup_psql -d postgres -c "DROP DATABASE IF EXISTS \"$scratch\"" -c "DROP DATABASE IF EXISTS \"$old\"" 8>&-
  backup_psql -d postgres -c "CREATE DATABASE \"$scratch\"" 8>&-
  if ! pg_restore -h 127.0.0.1 -p "$PG_PORT" -U postgres --dbname="$scratch" --no-owner --exit-on-error \
       --single-transaction "$file"; then
    backup_psql -d postgres -c "DROP DATABASE IF EXISTS \"$scratch\"" 8>&- || true
    die "restore: pg_restore of $db failed; database $db is unchanged"
  fi
  backup_psql -d postgres \
    -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$db' AND pid <> pg_backend_pid()" \
    -c "ALTER DATABASE \"$db\" RENAME TO \"$old\"" \
    -c "ALTER DATABASE \"$scratch\" RENAME TO \"$db\"" \
    -c "DROP DATABASE \"$old\"" >/dev/null 8>&- \
    || die "restore: swapping in the restored $db failed (it is in database $scratch; the old one in $old or $db)"
}

cmd_restore() {
  local usage="usage: sentinel restore DIR [--into SUFFIX] (DIR made by sentinel backup)"
  (($# == 1 || $# == 3)) || die "$usage"
  local dir="$1" into="" suffix="$DB_SUFFIX" db t0 checkpoints existing
  if (($# == 3)); then
    [[ "$2" == --into ]] || die "$usage"
    into="$3"
    check_suffix --into "$into" '^_[a-z0-9_]+$' "_ then lower-case letters, digits and _"
    [[ "$into" != "$DB_SUFFIX" ]] || die "restore: --into $into names the live databases; leave it out to restore over them"
    suffix="$into"
  fi
  t0="$(now_ms)"
  check_suffix SENTINEL_DB_SUFFIX "$DB_SUFFIX" '^[a-z0-9_]*$' "lower-case letters, digits and _"
  [[ -f "$dir/SHA256SUMS" ]] || die "restore: $dir has no SHA256SUMS; not a folder made by sentinel backup"
  dir="$(cd "$dir" && pwd)"
  for db in "${BACKUP_DATABASES[@]}"; do
    [[ -f "$dir/$db.dump" ]] || die "restore: $dir has no $db.dump"
  done
  (cd "$dir" && sha256sum --quiet --strict -c SHA256SUMS) \
    || die "restore: $dir does not match its SHA256SUMS (changed or damaged); nothing was restored"
  [[ "$(cat "$dir/secrets.sha256")" == "$(secrets_fingerprint)" ]] \
    || warn "restore: $SECRETS differs from the one the backup was taken with: TOTP seeds, the audit" \
            "log's personal data and checkpoint signatures need the secrets of then (keep secrets.env" \
            "with your backups, separately)"
  backup_needs_postgres
  [[ -n "$into" ]] || restore_needs_services_stopped
  existing="$(backup_psql -d postgres -Atc 'select datname from pg_database')"
  for db in "${BACKUP_DATABASES[@]}"; do
    grep -qxF -- "$db$suffix" <<<"$existing" || backup_psql -d postgres -c "CREATE DATABASE \"$db$suffix\"" 8>&-
    restore_database "$db$suffix" "$dir/$db.dump"
  done
  if [[ -n "$into" ]]; then
    # Beside the live databases, to inspect or verify a backup: the live checkpoint mirror stays.
    report restore "${BACKUP_DATABASES[*]/%/$suffix} from $dir ($(since "$t0")); the checkpoints are in $dir/audit-checkpoints"
    return
  fi
  # The checkpoint mirror: replaced as a whole, through a sibling folder, so it is never half old, half new.
  checkpoints="$(checkpoint_dir)"
  rm -rf "$checkpoints.restoring" "$checkpoints.before-restore"
  mkdir -p "$checkpoints.restoring"
  cp -a "$dir/audit-checkpoints/." "$checkpoints.restoring/" || die "restore: copying the checkpoints failed"
  if [[ -e "$checkpoints" ]]; then mv "$checkpoints" "$checkpoints.before-restore"; fi
  mv "$checkpoints.restoring" "$checkpoints"
  rm -rf "$checkpoints.before-restore"
  report restore "${BACKUP_DATABASES[*]/%/$suffix} and $(find "$checkpoints" -type f | wc -l) checkpoint file(s) from $dir ($(since "$t0"))"
}
