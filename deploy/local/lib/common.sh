# shellcheck shell=bash
# Part of deploy/local/sentinel (sourced by it, never run alone): layout, ports, small helpers, locks.
# ---------------------------------------------------------------------------------------
# Layout and fixed local ports (DESIGN.md §10)
# ---------------------------------------------------------------------------------------
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"   # deploy/local
ROOT="$(cd "$HERE/../.." && pwd)"
# The override exists only so a scratch test can use a throw-away state folder.
STATE="${SENTINEL_STATE_DIR:-$HERE/.state}"

# Ports are settings (the environment wins), so a machine whose 5432 or 6379 is taken, or a
# smoke test, can have sentinel start private servers elsewhere. The test suite's profiles
# expect these defaults.
PG_PORT="${PG_PORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
SMTP_PORT_LOCAL="${SMTP_PORT:-3025}"
IMAP_PORT_LOCAL="${IMAP_PORT:-3143}"

DATABASES=(auth account audit notification auth_test account_test audit_test notification_test)
# name:partitions[:replication]
KAFKA_TOPICS=(security-events:6 email-requests:3 email-requests.dlq:1)

SERVICES=(auth account admin-audit notification)
declare -A SERVICE_MODULE=([auth]=auth-service [account]=account-service
                           [admin-audit]=admin-audit-service [notification]=notification-service)
declare -A SERVICE_PORT=([auth]=8081 [account]=8082 [admin-audit]=8083 [notification]=8084)
# The gateway (deploy/gateway): the one origin in front of the services.
GATEWAY_PORT="${GATEWAY_PORT:-8080}"
# The mail view (deploy/local/MailView.java): captured mail in a browser.
MAILVIEW_PORT="${MAILVIEW_PORT:-8025}"

# Shared with every other Maven run on this 2-core machine, so builds never overlap.
MAVEN_LOCK=/tmp/sentinel-maven.lock
INFRA_JARS_POM="$HERE/infra-jars/pom.xml"

KAFKA_DIR="$STATE/kafka"
SMTP_DIR="$STATE/greenmail"
REDIS_DIR="$STATE/redis"
PIDS="$STATE/pids"
LOGS="$STATE/logs"
STARTED="$STATE/started"   # markers: PostgreSQL/Redis that THIS script started
SECRETS="$STATE/secrets.env"
# This clone's state folder, symlinks resolved (nginx wants absolute paths).
STATE_ABS="$(realpath -m -- "$STATE")"

SERVICE_READY_TIMEOUT=120
SERVICE_STOP_GRACE=20

# ---------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------
say()  { printf '%s\n' "$*"; }
# report NAME TEXT: one aligned progress line per service or infra piece.
report() { printf '%-13s%s\n' "$1" "$2"; }
warn() { printf 'sentinel: %s\n' "$*" >&2; }
die()  { printf 'sentinel: %s\n' "$*" >&2; exit 1; }

# Current time in milliseconds, for the "started in N s" lines.
now_ms() { date +%s%3N; }
since() { local ms=$(( $(now_ms) - $1 )); printf '%d.%01ds' $((ms / 1000)) $(((ms % 1000) / 100)); }

# True if something accepts TCP connections on 127.0.0.1:PORT. Pure bash: no nc needed.
port_open() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$1" 2>/dev/null
}

# wait_until TIMEOUT_SECONDS CMD...: poll CMD every 0.2 s; fails after the timeout.
wait_until() {
  local timeout="$1"; shift
  local deadline=$(( $(date +%s) + timeout ))
  until "$@"; do
    (( $(date +%s) < deadline )) || return 1
    sleep 0.2
  done
}

port_closed() { ! port_open "$1"; }

# greeting_probe PORT GREETING_PREFIX GOODBYE: a polite protocol-level check (read the
# server's greeting, say goodbye). A bare connect-and-drop makes GreenMail log a stack
# trace for every probe.
greeting_probe() {
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
    IFS= read -r -t 2 line <&3 || exit 1
    printf "%s\r\n" "$2" >&3
    IFS= read -r -t 2 _ <&3 || true
    [[ "$line" == "$1"* ]]' "$1" "$2" "$3" 2>/dev/null
}
smtp_answers() { greeting_probe "$SMTP_PORT_LOCAL" 220 QUIT; }
imap_answers() { greeting_probe "$IMAP_PORT_LOCAL" '* OK' 'a1 LOGOUT'; }

# Run as root without sudo when we already are root (the usual case here).
as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
apt_install() {
  say "             installing Debian package(s): $*"
  if (( ! APT_UPDATED )); then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq 8>&- >/dev/null
    APT_UPDATED=1
  fi
  # 8>&-: a postinst may start a daemon; it must not inherit the infra lock.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" 8>&- >/dev/null
}

# True while PID runs. A zombie counts as gone: it has exited and only waits for its
# parent (init, for our detached daemons) to reap it, which some inits do slowly.
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]]
}

not_alive() { ! alive "$1"; }

# pid_of NAME MARKER: print the pid from $PIDS/NAME.pid if that process is alive and its
# command line contains MARKER (guards against a recycled pid); fail otherwise.
pid_of() {
  local file="$PIDS/$1.pid" pid
  [[ -s "$file" ]] || return 1
  pid="$(<"$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$2" || return 1
  printf '%s\n' "$pid"
}

# `bash -c "$CLOSE_FDS" close-fds CMD...` runs CMD with every descriptor above 2 closed.
# Every daemon is started through it: a daemon must not keep a lock open, neither ours
# (7, 8) nor one a caller holds, such as the fd that `flock /tmp/sentinel-maven.lock
# sentinel test` opened — a broker started by that run would otherwise hold the Maven lock
# for as long as it lives, and every later build would wait for it.
CLOSE_FDS='for fd in $(ls /proc/$$/fd); do ((fd > 2)) && eval "exec $fd>&-"; done; exec "$@"'

# spawn PIDFILE LOGFILE CMD...: start CMD detached (own session, no stdin, survives this
# shell), appending to LOGFILE; the process writes its own pid before exec so the pid file
# is exact.
spawn() {
  local pidfile="$1" log="$2"; shift 2
  mkdir -p "$(dirname "$pidfile")" "$(dirname "$log")"
  rm -f "$pidfile"
  setsid nohup bash -c 'echo $$ >"$0"; '"$CLOSE_FDS" "$pidfile" "$@" >>"$log" 2>&1 </dev/null &
  wait_until 5 test -s "$pidfile" || die "$(basename "$pidfile" .pid): could not start (see $log)"
}

# run_bg NAME LOGFILE CMD...: spawn with this clone's pid file for NAME.
run_bg() { spawn "$PIDS/$1.pid" "${@:2}"; }

# stop_pid NAME PID GRACE_SECONDS: SIGTERM, wait, then SIGKILL.
stop_pid() {
  local name="$1" pid="$2" grace="$3"
  kill -TERM "$pid" 2>/dev/null || return 0
  if ! wait_until "$grace" not_alive "$pid"; then
    warn "$name (pid $pid) still running after ${grace}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_until 5 not_alive "$pid" || true
  fi
  rm -f "$PIDS/$name.pid"
}



# Maven on this machine is shared: serialise every run on one lock file. If an ancestor
# already holds that lock (e.g. someone ran `flock /tmp/sentinel-maven.lock sentinel test`),
# taking it again would deadlock, so run directly.
maven_lock_held_above() {
  [[ "${SENTINEL_MAVEN_LOCK_HELD:-}" == 1 ]] && return 0
  local pid="$PPID" args arg
  while [[ "$pid" =~ ^[0-9]+$ ]] && (( pid > 1 )); do
    # An ancestor that is `flock ... /tmp/sentinel-maven.lock ...` holds the lock.
    mapfile -d '' -t args 2>/dev/null <"/proc/$pid/cmdline" || args=()
    if ((${#args[@]})) && [[ "$(basename -- "${args[0]}")" == flock ]]; then
      for arg in "${args[@]:1}"; do [[ "$arg" == "$MAVEN_LOCK" ]] && return 0; done
    fi
    pid="$(awk '/^PPid:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"
  done
  return 1
}

with_maven_lock() {
  if maven_lock_held_above || ! command -v flock >/dev/null 2>&1; then
    "$@"
    return
  fi
  if ! flock -n "$MAVEN_LOCK" true 2>/dev/null; then
    say "  waiting for the Maven lock ($MAVEN_LOCK): another build is running"
  fi
  SENTINEL_MAVEN_LOCK_HELD=1 flock "$MAVEN_LOCK" "$@"
}

# Serialise concurrent `sentinel` runs that change infra (two `test` runs starting at once).
take_infra_lock() {
  mkdir -p "$STATE"
  exec 8>"$STATE/.infra.lock"
  flock -w 600 8 || die "another sentinel run holds $STATE/.infra.lock"
}
release_infra_lock() { exec 8>&-; }

# Set NAME=VALUE in the environment unless the caller already set NAME (even to empty):
# the caller's environment always wins over local defaults.
default_env() {
  if [[ -z "${!1+x}" ]]; then export "$1=$2"; fi
}

