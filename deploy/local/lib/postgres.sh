# shellcheck shell=bash
# Part of deploy/local/sentinel (sourced by it, never run alone): PostgreSQL.
# ---------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------
pg_answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT" 8>&-
  else
    port_open "$PG_PORT"
  fi
}

# Directory of the server binaries (initdb, pg_ctl): on PATH, else Debian's newest.
pg_bindir() {
  local initdb
  if initdb="$(command -v initdb 2>/dev/null)"; then dirname "$(readlink -f "$initdb")"; return; fi
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$dir" && -x "$dir/initdb" ]] || return 1
  printf '%s\n' "$dir"
}

# The Debian cluster version (e.g. 15) if /etc/postgresql has a "main" cluster.
pg_debian_version() {
  local conf
  conf="$(ls -d /etc/postgresql/*/main 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$conf" ]] && command -v pg_ctlcluster >/dev/null 2>&1 || return 1
  basename "$(dirname "$conf")"
}

# The Debian cluster version if that cluster is configured for $PG_PORT (it serves another
# port otherwise, and starting it would not help).
pg_debian_version_on_our_port() {
  local ver port
  ver="$(pg_debian_version)" || return 1
  port="$(sed -nE 's/^[[:space:]]*port[[:space:]]*=[[:space:]]*([0-9]+).*/\1/p' \
          "/etc/postgresql/$ver/main/postgresql.conf" 2>/dev/null | tail -n 1)"
  [[ "${port:-5432}" == "$PG_PORT" ]] || return 1
  printf '%s\n' "$ver"
}

# Where the private cluster lives: under the state folder, unless the postgres OS user
# cannot reach it (e.g. a clone under /root); then under postgres' own home. The choice is
# remembered so later runs find the same data.
pg_private_dir() {
  if [[ -s "$STATE/postgres.dir" ]]; then cat "$STATE/postgres.dir"; return; fi
  local dir="$STATE/postgres"
  # Decide (and remember) only once the postgres user exists, i.e. after any install.
  if [[ "$(id -u)" -eq 0 ]] && id postgres >/dev/null 2>&1; then
    if ! runuser -u postgres -- test -x "$STATE" 2>/dev/null; then
      dir="/var/lib/postgresql/sentinel-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
    fi
    printf '%s\n' "$dir" >"$STATE/postgres.dir"
  fi
  printf '%s\n' "$dir"
}

# Run a PostgreSQL server tool as the postgres OS user (initdb refuses to run as root).
as_pg() {
  if [[ "$(id -u)" -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_private_init() {
  local dir="$1" bin="$2"
  mkdir -p "$dir/data" "$dir/run"
  if [[ "$(id -u)" -eq 0 ]]; then chown -R postgres:postgres "$dir"; fi
  chmod 700 "$dir/data"
  as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
    || die "initdb failed, see $dir/initdb.log"
}

pg_private_start() {
  local dir="$1" bin="$2"
  # -k: the socket goes to our own folder, not /var/run/postgresql (may not exist).
  as_pg bash -c "$CLOSE_FDS" close-fds "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k '$dir/run'" -w -t 60 start >/dev/null \
    || die "PostgreSQL (private cluster) did not start, see $dir/postgres.log"
}

ensure_postgres() {
  local t0; t0="$(now_ms)"
  if pg_answers; then
    report postgres "reused   127.0.0.1:$PG_PORT$( [[ -f "$STARTED/postgres" ]] && echo ' (started earlier by sentinel)')"
  else
    local pgdir ver bin
    pgdir="$(pg_private_dir)"
    if [[ -f "$pgdir/data/PG_VERSION" ]] && bin="$(pg_bindir)"; then
      # A private cluster from an earlier run: it is ours, start it again.
      pg_private_start "$pgdir" "$bin"
      echo private >"$STARTED/postgres"
      report postgres "started  127.0.0.1:$PG_PORT (private cluster in $pgdir/data, $(since "$t0"))"
    else
      if ver="$(pg_debian_version_on_our_port)"; then
        # The machine's own cluster, stopped: start it the way this machine's kind does.
        as_root bash -c "$CLOSE_FDS" close-fds pg_ctlcluster --skip-systemctl-redirect "$ver" main start \
          || warn "pg_ctlcluster $ver main start failed"
        if wait_until 30 pg_answers; then
          echo "debian $ver" >"$STARTED/postgres"
          report postgres "started  127.0.0.1:$PG_PORT (Debian cluster $ver/main, $(since "$t0"))"
        fi
      fi
      if ! pg_answers; then
        if ! bin="$(pg_bindir)"; then
          apt_install postgresql
          bin="$(pg_bindir)" || die "PostgreSQL installed but initdb not found"
          pgdir="$(pg_private_dir)"
          # The package may have started its own cluster, whose TCP login wants a password;
          # stop it so the private trust-auth cluster below can take the port.
          if ver="$(pg_debian_version)" && pg_answers; then
            as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main stop 8>&- || true
            wait_until 30 port_closed "$PG_PORT" || die "could not free port $PG_PORT"
          fi
        fi
        [[ -f "$pgdir/data/PG_VERSION" ]] || pg_private_init "$pgdir" "$bin"
        pg_private_start "$pgdir" "$bin"
        echo private >"$STARTED/postgres"
        report postgres "started  127.0.0.1:$PG_PORT (private cluster in $pgdir/data, $(since "$t0"))"
      fi
    fi
    wait_until 30 pg_answers || die "PostgreSQL on 127.0.0.1:$PG_PORT does not answer"
  fi
  command -v psql >/dev/null 2>&1 || apt_install postgresql-client
  pg_create_databases
}

pg_create_databases() {
  local psql=(psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1)
  "${psql[@]}" -Atc 'select 1' >/dev/null 2>&1 || die "PostgreSQL on 127.0.0.1:$PG_PORT refuses" \
    "user postgres without a password; Sentinel's local setup needs trust auth for 127.0.0.1" \
    "(a 'host all all 127.0.0.1/32 trust' line in pg_hba.conf)"
  local existing created=() db
  existing="$("${psql[@]}" -Atc 'select datname from pg_database')"
  for db in "${DATABASES[@]}"; do
    if ! grep -qxF -- "$db" <<<"$existing"; then
      # CREATE DATABASE cannot run in a transaction block, hence one call per database.
      "${psql[@]}" -c "CREATE DATABASE \"$db\"" 8>&-
      created+=("$db")
    fi
  done
  if ((${#created[@]})); then
    report "" "databases created: ${created[*]}"
  else
    report "" "databases present: ${DATABASES[*]}"
  fi
}

stop_postgres_if_ours() {
  [[ -f "$STARTED/postgres" ]] || return 0
  local how pgdir bin
  how="$(<"$STARTED/postgres")"
  if [[ "$how" == private ]]; then
    pgdir="$(pg_private_dir)"; bin="$(pg_bindir)"
    as_pg "$bin/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null || warn "pg_ctl stop failed"
  else
    as_root pg_ctlcluster --skip-systemctl-redirect "${how#debian }" main stop || warn "pg_ctlcluster stop failed"
  fi
  rm -f "$STARTED/postgres"
  report postgres "stopped"
}

