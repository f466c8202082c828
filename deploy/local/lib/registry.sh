# shellcheck shell=bash
# Part of deploy/local/sentinel (sourced by it, never run alone): the machine-wide registry of Kafka and GreenMail.
# ---------------------------------------------------------------------------------------
# Machine-wide registry of Kafka and GreenMail (see RUNTIME above), one folder per server:
#   $RUNTIME/NAME/pid    its pid while it runs (removed when a sentinel stops it)
#   $RUNTIME/NAME/state  state folder of the clone it runs from (config, data, pid file)
#   $RUNTIME/NAME/cmd    its exact command line, NUL-separated like /proc/PID/cmdline
#   $RUNTIME/NAME/log    the file its output goes to
# state, cmd and log stay after a stop, so `start` from any clone brings back the same one.
# ---------------------------------------------------------------------------------------
runtime_usable() { [[ -d "$RUNTIME" && ! -L "$RUNTIME" && -O "$RUNTIME" ]]; }

ensure_runtime_dir() {
  runtime_usable || (umask 077 && mkdir -p "$RUNTIME")
  # Never trust a folder someone else made (or a symlink): its cmd files get executed.
  runtime_usable || die "$RUNTIME is not a folder of user $(id -un); remove it or set SENTINEL_RUNTIME_DIR"
  chmod 700 "$RUNTIME"
}

# The registry's lock, taken after this clone's infra lock (never the other way round)
# around every decision to start or stop Kafka or GreenMail. Nothing waits for Maven while
# holding it: a test run holds the Maven lock and may call `sentinel stop kafka` meanwhile.
take_runtime_lock() {
  ensure_runtime_dir
  exec 7>"$RUNTIME/lock"
  flock -w 300 7 || die "another sentinel run holds $RUNTIME/lock"
}
release_runtime_lock() { exec 7>&-; }

# runtime_get NAME FIELD: print one recorded field; fails if there is none.
runtime_get() {
  local file="$RUNTIME/$1/$2"
  runtime_usable && [[ -s "$file" ]] || return 1
  printf '%s\n' "$(<"$file")"
}

# runtime_put NAME FIELD VALUE: replace a field whole (a reader never sees half of it).
runtime_put() {
  printf '%s\n' "$3" >"$RUNTIME/$1/$2.tmp"
  mv -f "$RUNTIME/$1/$2.tmp" "$RUNTIME/$1/$2"
}

# runtime_record NAME PID OWNER_STATE LOG [CMD...]: NAME now runs as PID from OWNER_STATE.
# Without CMD the command line is read from /proc (a server started before this registry).
runtime_record() {
  local name="$1" pid="$2" owner="$3" log="$4" dir="$RUNTIME/$1"; shift 4
  mkdir -p "$dir"
  if (($#)); then printf '%s\0' "$@" >"$dir/cmd.tmp"; else cat "/proc/$pid/cmdline" >"$dir/cmd.tmp"; fi
  [[ -s "$dir/cmd.tmp" ]] || { rm -f "$dir/cmd.tmp"; warn "$name: could not record pid $pid"; return 0; }
  mv -f "$dir/cmd.tmp" "$dir/cmd"
  runtime_put "$name" state "$owner"
  runtime_put "$name" log "$log"
  runtime_put "$name" pid "$pid"
}

# runtime_pid NAME: the pid of NAME if some clone's sentinel started it and it still runs
# with exactly the recorded command line (so a recycled pid never matches).
runtime_pid() {
  local pid
  pid="$(runtime_get "$1" pid)" && [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  # Through a pipe: cmp takes a size difference as a mismatch, and /proc files have size 0.
  alive "$pid" && cmp -s "$RUNTIME/$1/cmd" <(cat "/proc/$pid/cmdline" 2>/dev/null) || return 1
  printf '%s\n' "$pid"
}

# runtime_forget NAME PID: PID was stopped. Drop it from the registry and from the owning
# clone's pid file; the owner, command and log stay for a later `start`.
runtime_forget() {
  local owner
  [[ "$(runtime_get "$1" pid 2>/dev/null)" == "$2" ]] && rm -f "$RUNTIME/$1/pid"
  owner="$(runtime_get "$1" state)" || return 0
  if [[ -s "$owner/pids/$1.pid" && "$(<"$owner/pids/$1.pid")" == "$2" ]]; then
    rm -f "$owner/pids/$1.pid"
  fi
}

# runtime_adopt NAME PID LOG: PID is this clone's (its pid file says so); record it if the
# registry does not know it yet, e.g. a server started by an older sentinel.
runtime_adopt() {
  [[ "$(runtime_get "$1" pid 2>/dev/null)" == "$2" ]] && return 0
  runtime_record "$1" "$2" "$STATE_ABS" "$3"
}

# server_pid NAME MARKER: pid of the NAME server if a sentinel started it: this clone's
# (its pid file in $PIDS) or any clone's on this machine (the registry).
server_pid() { pid_of "$1" "$2" || runtime_pid "$1"; }

# server_owner NAME MARKER: the state folder the running NAME server was started from.
server_owner() {
  if pid_of "$1" "$2" >/dev/null; then
    printf '%s\n' "$STATE_ABS"
  else
    runtime_pid "$1" >/dev/null && runtime_get "$1" state
  fi
}

# server_home NAME MARKER: the state folder with NAME's logs: the running server's owner,
# else the one it last ran from if that still exists, else this clone's.
server_home() {
  local dir
  if dir="$(server_owner "$1" "$2")" || { dir="$(runtime_get "$1" state)" && [[ -d "$dir" ]]; }; then
    printf '%s\n' "$dir"
  else
    printf '%s\n' "$STATE"
  fi
}

# owner_note STATE_FOLDER: how reports name the owner of a server.
owner_note() {
  if [[ "$1" == "$STATE_ABS" ]]; then echo ours; else echo "started by sentinel in ${1%/deploy/local/.state}"; fi
}

# recorded_owner NAME FILE...: the state folder NAME last ran from, if that is another
# clone's and it still has every FILE (relative paths); fails otherwise.
recorded_owner() {
  local owner file
  owner="$(runtime_get "$1" state)" && [[ -s "$RUNTIME/$1/cmd" && "$owner" != "$STATE_ABS" ]] || return 1
  for file in "${@:2}"; do [[ -e "$owner/$file" ]] || return 1; done
  printf '%s\n' "$owner"
}

# runtime_respawn NAME OWNER_STATE: run NAME's recorded command again, with its pid in the
# owner's pid file (so the owning clone still sees its own server) and in the registry.
runtime_respawn() {
  local name="$1" owner="$2" log argv pid
  mapfile -d '' -t argv <"$RUNTIME/$name/cmd"
  log="$(runtime_get "$name" log)" || log="$owner/logs/$name.out"
  spawn "$owner/pids/$name.pid" "$log" "${argv[@]}"
  pid="$(<"$owner/pids/$name.pid")"
  runtime_record "$name" "$pid" "$owner" "$log" "${argv[@]}"
}

# sibling_copy NAME PATH: take PATH (relative to a state folder: the infra jars) from the
# clone NAME last ran from, if that clone has the same infra-jars/pom.xml, so the jars are
# the ones Maven would fetch. A fresh clone then needs no Maven run, which can wait minutes
# for the shared Maven lock, e.g. in `start kafka` just after a `stop kafka` from there.
sibling_copy() {
  local owner src dest="$STATE/$2"
  owner="$(runtime_get "$1" state)" && [[ "$owner" != "$STATE_ABS" ]] || return 1
  src="$owner/$2"
  [[ -e "$src" ]] && cmp -s "$(dirname "$owner")/infra-jars/pom.xml" "$INFRA_JARS_POM" || return 1
  mkdir -p "$(dirname "$dest")"
  rm -rf "$dest.tmp"
  # Hard links when on one file system: jars are only ever replaced, never edited in place.
  cp -al "$src" "$dest.tmp" 2>/dev/null || { rm -rf "$dest.tmp"; cp -a "$src" "$dest.tmp"; } || return 1
  mv "$dest.tmp" "$dest"
  say "             $2 taken from ${owner%/deploy/local/.state} (same infra-jars/pom.xml)"
}
