#!/usr/bin/env bash
# auth-service throughput on this machine's loopback (issue 3): raw Argon2 hashes/s against
# password logins/s (and a login flood: 503 SYS_BUSY, bounded RSS), refresh/s with rotation,
# GET /v1/auth/me req/s (closed loop at the maximum, then a fixed rate at half of it),
# client-credentials tokens/s, start-to-ready time and RSS. Writes RESULTS.md.
#
# Starts the packaged service (target/quarkus-app; built here only if the jar is missing)
# on its own port and its own database (auth_bench, created if missing, users named per
# run), with throwaway keys made here, the production Argon2 cost (t=3, m=64 MiB, p=2),
# CAPTCHA off, rate limits raised, and the outbox relay off (nothing reaches the machine's
# Kafka topics). Every request comes "from" 198.18.0.1 through X-Forwarded-For (loopback is
# a trusted proxy), so the bench's Redis rate-limit counters never meet anyone else's.
#
# Everything from the raw Argon2 run to the last load run holds the machine-wide Maven lock
# (/tmp/sentinel-maven.lock): no build or test competes for the two cores while we measure.
#
# env: BENCH_PORT (18081), BENCH_DURATION (15s), BENCH_WARMUP (20s), BENCH_PROFILE (8s),
#      BENCH_CONNECTIONS (64), BENCH_THREADS (2), BENCH_USERS (16), BENCH_LOGIN_CONNECTIONS (8),
#      BENCH_FLOOD_CONNECTIONS (128), BENCH_REFRESH_CONNECTIONS (32), BENCH_ARGON2_SECONDS (10),
#      BENCH_KEEP_WORK (set: keep the work dir with logs, wrk output and JFR files)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
MODULE=$(dirname "$HERE")
ROOT=$(dirname "$MODULE")
LOCK=/tmp/sentinel-maven.lock
JAR="$MODULE/target/quarkus-app/quarkus-run.jar"
LIB="$MODULE/target/quarkus-app/lib/main"
PORT=${BENCH_PORT:-18081}
BASE="http://127.0.0.1:$PORT"
DURATION=${BENCH_DURATION:-15s}
WARMUP=${BENCH_WARMUP:-20s}
PROFILE=${BENCH_PROFILE:-8s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
USERS=${BENCH_USERS:-16}
LOGIN_CONNECTIONS=${BENCH_LOGIN_CONNECTIONS:-8}
FLOOD_CONNECTIONS=${BENCH_FLOOD_CONNECTIONS:-128}
REFRESH_CONNECTIONS=${BENCH_REFRESH_CONNECTIONS:-32}
ARGON2_SECONDS=${BENCH_ARGON2_SECONDS:-10}
# The production cost (application.properties defaults), set explicitly so an exported
# ARGON2_* of the caller's shell cannot change what is measured.
ARGON2_T=3 ARGON2_M=65536 ARGON2_P=2
CLIENT_IP=198.18.0.1
UA=sentinel-bench/1
PG="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt"
secs() { echo "${1%s}"; }

# ---------------------------------------------------------------------------------------
# Phase 2 (re-entered under the lock): everything that is measured.
# ---------------------------------------------------------------------------------------
measure() {
  WORK=$BENCH_WORK
  SERVICE_PID=
  SAMPLER_PID=
  stop_service() {
    if [ -n "$SAMPLER_PID" ]; then kill "$SAMPLER_PID" 2>/dev/null || true; fi
    if [ -n "$SERVICE_PID" ]; then kill "$SERVICE_PID" 2>/dev/null || true; wait "$SERVICE_PID" 2>/dev/null || true; fi
    SERVICE_PID=
  }
  trap stop_service EXIT
  local out="$WORK/figures.env"
  : > "$out"
  fig() { printf '%s=%q\n' "$1" "$2" >> "$out"; }
  fig LOAD_BEFORE "$(cut -d' ' -f1-3 /proc/loadavg)"
  fig MEASURED_AT "$(date -u +%Y-%m-%dT%H:%MZ)"
  fig LOCK_WAIT_S "$(( $(date +%s) - BENCH_LOCK_ASKED ))"
  fig OTHER_JVMS "$(pgrep -af 'java' | grep -v -e Argon2Bench -e EcBench | grep -c -e quarkus-run.jar -e kafka.Kafka -e greenmail || true)"

  # 1a. Raw Argon2: the same library, the same JVM, the same cores, one thread per core.
  local cp="$LIB/de.mkammerer.argon2-jvm-2.12.jar:$LIB/de.mkammerer.argon2-jvm-nolibs-2.12.jar:$(ls "$LIB"/net.java.dev.jna.jna-*.jar | head -1)"
  local raw
  raw=$(java -Xmx512m -cp "$cp" "$HERE/Argon2Bench.java" "$ARGON2_T" "$ARGON2_M" "$ARGON2_P" "$(nproc)" "$ARGON2_SECONDS")
  echo "$raw" >&2
  fig RAW_HPS "$(echo "$raw" | sed -E 's/.*hashes_per_s=([0-9.]+).*/\1/')"
  fig RAW_MS "$(echo "$raw" | sed -E 's/.*ms_per_hash=([0-9.]+).*/\1/')"
  # 1c. ES256 on one thread: signs every issued token, verifies every bearer token.
  local ec alt
  ec=$(java "$HERE/EcBench.java" 3)
  echo "$ec" >&2
  fig EC17 "$ec"
  alt=$(ls -d /usr/lib/jvm/temurin-2[1-9]*/bin/java 2>/dev/null | tail -1 || true)
  if [ -n "$alt" ]; then ec=$("$alt" "$HERE/EcBench.java" 3); echo "$ec" >&2; fig ECALT "$ec"; fi

  # 5a. Start to ready.
  local t0 t1
  t0=$(date +%s%N)
  fig T0_OF_DAY "$(date +%H:%M:%S.%N)"
  java -Xmx512m -XX:NativeMemoryTracking=summary \
    -Dquarkus.http.port="$PORT" \
    -Dauth.rate-limits.login-per-account=10000000 \
    -Dauth.rate-limits.per-account=10000000 \
    -Dsentinel.outbox.relay-enabled=false \
    -jar "$JAR" > "$WORK/service.log" 2>&1 &
  SERVICE_PID=$!
  until curl -fs "$BASE/q/health/ready" 2>/dev/null | grep -q '"UP"'; do
    kill -0 "$SERVICE_PID" 2>/dev/null || { tail -50 "$WORK/service.log" >&2; exit 1; }
    if (( ($(date +%s%N) - t0) / 1000000000 > 120 )); then echo "service not ready after 120 s" >&2; tail -50 "$WORK/service.log" >&2; exit 1; fi
    sleep 0.05
  done
  t1=$(date +%s%N)
  fig READY_S "$(awk -v d=$(( (t1 - t0) / 1000000 )) 'BEGIN { printf "%.2f", d / 1000 }')"
  fig QUARKUS_STARTED "$(grep -oE 'started in [0-9.]+s' "$WORK/service.log" | head -1 | sed 's/started in //')"
  sleep 3
  fig RSS_IDLE_MB "$(rss_mb)"

  # Users: register over HTTP (the real hash at the real cost), then mark them verified.
  local run=$BENCH_RUN password=Bench-horse-staple-9271-xq
  seq 1 "$USERS" | xargs -P 4 -I{} curl -fs -o /dev/null -w '%{http_code}\n' -X POST "$BASE/v1/auth/register" \
    -H 'Content-Type: application/json' -H "User-Agent: $UA" -H "X-Forwarded-For: $CLIENT_IP" \
    -d "{\"email\":\"bench-$run-{}@bench.test\",\"password\":\"$password\"}" > "$WORK/register.codes"
  [ "$(grep -c '^202$' "$WORK/register.codes")" = "$USERS" ] || { echo "registration failed: $(sort "$WORK/register.codes" | uniq -c)" >&2; exit 1; }
  $PG -d auth_bench -c "update app_user set email_verified = true where email like 'bench-$run-%'"
  # An access token for GET /me (one more login; the session also stays live).
  ACCESS=$(curl -fs -X POST "$BASE/v1/auth/login" -H 'Content-Type: application/json' -H "User-Agent: $UA" \
    -H "X-Forwarded-For: $CLIENT_IP" -d "{\"email\":\"bench-$run-1@bench.test\",\"password\":\"$password\"}" \
    | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
  [ "${#ACCESS}" -gt 100 ] || { echo "login for the access token failed" >&2; tail -20 "$WORK/service.log" >&2; exit 1; }

  # 1a'. Raw Argon2 once more, now beside the idle service. The login ratio uses the higher
  # of both runs: a neighbour's burst can only lower a raw run, never raise it.
  raw=$(java -Xmx512m -cp "$cp" "$HERE/Argon2Bench.java" "$ARGON2_T" "$ARGON2_M" "$ARGON2_P" "$(nproc)" "$ARGON2_SECONDS")
  echo "$raw" >&2
  fig RAW2_HPS "$(echo "$raw" | sed -E 's/.*hashes_per_s=([0-9.]+).*/\1/')"

  # 1b. Password logins under the pool size + queue (they queue, no 503). The flood past
  # pool + queue comes last: its refused tries stay counted against the accounts.
  wrk_run "login warm-up" "$LOGIN_CONNECTIONS" 5s login.lua "bench-$run" "$USERS" "$password" "$WORK/tokens" >/dev/null
  cpu_begin
  wrk_run "login" "$LOGIN_CONNECTIONS" "$DURATION" login.lua "bench-$run" "$USERS" "$password" "$WORK/tokens" > "$WORK/r.login"
  cpu_end LOGIN
  profile login wrk_run "login profile" "$LOGIN_CONNECTIONS" "$PROFILE" login.lua "bench-$run" "$USERS" "$password" "$WORK/tokens"

  # 3. GET /v1/auth/me: the maximum (closed loop), then a fixed rate at half of it.
  export BENCH_AUTH="Bearer $ACCESS"
  wrk_run "me warm-up" "$CONNECTIONS" "$WARMUP" request.lua GET /v1/auth/me >/dev/null
  cpu_begin
  wrk_run "me" "$CONNECTIONS" "$DURATION" request.lua GET /v1/auth/me > "$WORK/r.me"
  cpu_end ME
  local me_ok half
  me_ok=$(sed -E 's/.*ok=([0-9]+).*/\1/' "$WORK/r.me")
  half=$(( me_ok / $(secs "$DURATION") / 2 ))
  (( half > 5500 )) && half=5500
  (( half < 50 )) && half=50
  fig ME_FIXED_TARGET "$half"
  # hey -q is per worker: 50 workers at half/50 each. Each worker waits for its answer
  # before the next send (closed loop per worker), so unlike wrk2 a stall is not charged
  # to the requests that should have been sent meanwhile (coordinated omission).
  hey -z "$DURATION" -c 50 -q "$(awk -v r="$half" 'BEGIN { printf "%.1f", r / 50 }')" \
    -H "Authorization: Bearer $ACCESS" -H "User-Agent: $UA" -H "X-Forwarded-For: $CLIENT_IP" \
    "$BASE/v1/auth/me" > "$WORK/r.mefixed" 2>&1
  profile me wrk_run "me profile" "$CONNECTIONS" "$PROFILE" request.lua GET /v1/auth/me
  unset BENCH_AUTH

  # 2. Refresh with rotation: the sessions the logins opened, split in three disjoint sets
  # (warm-up, measure, profile), each token sent once; successors are chained per thread.
  cat "$WORK"/tokens.* > "$WORK/all-tokens"
  local sessions per
  sessions=$(wc -l < "$WORK/all-tokens")
  for i in 0 1 2; do awk -v i=$i 'NR % 3 == i' "$WORK/all-tokens" > "$WORK/tokens-$i"; done
  per=$(( sessions / 3 ))
  (( REFRESH_CONNECTIONS > per )) && REFRESH_CONNECTIONS=$per
  fig SESSIONS "$sessions"
  fig REFRESH_CONNECTIONS "$REFRESH_CONNECTIONS"
  export BENCH_THREADS=$THREADS
  wrk_run "refresh warm-up" "$REFRESH_CONNECTIONS" "$WARMUP" refresh.lua "$WORK/tokens-1" >/dev/null
  cpu_begin
  wrk_run "refresh" "$REFRESH_CONNECTIONS" "$DURATION" refresh.lua "$WORK/tokens-2" > "$WORK/r.refresh"
  cpu_end REFRESH
  profile refresh wrk_run "refresh profile" "$REFRESH_CONNECTIONS" "$PROFILE" refresh.lua "$WORK/tokens-0"

  # 4. client_credentials.
  local form="grant_type=client_credentials&client_id=bench-client&client_secret=$BENCH_CLIENT_SECRET"
  local ctype=application/x-www-form-urlencoded
  wrk_run "token warm-up" "$CONNECTIONS" "$WARMUP" request.lua POST /v1/auth/token "$ctype" "$form" >/dev/null
  cpu_begin
  wrk_run "token" "$CONNECTIONS" "$DURATION" request.lua POST /v1/auth/token "$ctype" "$form" > "$WORK/r.token"
  cpu_end TOKEN
  profile token wrk_run "token profile" "$CONNECTIONS" "$PROFILE" request.lua POST /v1/auth/token "$ctype" "$form"

  # 1d. The login flood: far more connections than hashing threads + queue.
  sample_rss "$WORK/rss.flood" &
  SAMPLER_PID=$!
  cpu_begin
  wrk_run "login flood" "$FLOOD_CONNECTIONS" "$DURATION" login.lua "bench-$run" "$USERS" "$password" "$WORK/flood-tokens" > "$WORK/r.flood"
  cpu_end FLOOD
  kill "$SAMPLER_PID" 2>/dev/null || true
  wait "$SAMPLER_PID" 2>/dev/null || true
  SAMPLER_PID=
  fig RSS_FLOOD_MB "$(sort -n "$WORK/rss.flood" | tail -1)"

  # 5b. RSS after all that, and what it is made of (native memory tracking).
  sleep 2
  fig RSS_AFTER_MB "$(rss_mb)"
  fig RSS_PEAK_MB "$(awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$SERVICE_PID/status")"
  jcmd "$SERVICE_PID" VM.native_memory summary scale=MB > "$WORK/nmt" 2>&1 || true
  fig NMT_TOTAL "$(grep -m1 -oE 'Total: reserved=[0-9]+MB, committed=[0-9]+MB' "$WORK/nmt" | sed -E 's/.*committed=//')"
  fig NMT_HEAP "$(grep -m1 -A1 'Java Heap' "$WORK/nmt" | grep -oE 'committed=[0-9]+MB' | head -1 | sed 's/committed=//')"
  fig BUSY_WARNINGS "$(grep -c 'hashing pool is full' "$WORK/service.log" || true)"
  fig HIBERNATE_ERRORS "$(grep -c 'possible non-threadsafe access to session' "$WORK/service.log" || true)"
  stop_service

  # 5c. One more start, recorded by JFR from the first instant (this start is not timed).
  java -Xmx512m -XX:StartFlightRecording=settings=profile,filename="$WORK/start.jfr" \
    -Dquarkus.http.port="$PORT" -Dsentinel.outbox.relay-enabled=false \
    -jar "$JAR" > "$WORK/service-jfr.log" 2>&1 &
  SERVICE_PID=$!
  t0=$(date +%s%N)
  until curl -fs "$BASE/q/health/ready" 2>/dev/null | grep -q '"UP"'; do
    kill -0 "$SERVICE_PID" 2>/dev/null || break
    if (( ($(date +%s%N) - t0) / 1000000000 > 120 )); then break; fi
    sleep 0.05
  done
  jcmd "$SERVICE_PID" JFR.dump filename="$WORK/start.jfr" >/dev/null 2>&1 || true
  stop_service
}

rss_mb() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$SERVICE_PID/status"; }
sample_rss() { while kill -0 "$SERVICE_PID" 2>/dev/null; do rss_mb >> "$1"; echo >> "$1"; sleep 0.5; done; }

# wrk_run LABEL CONNECTIONS DURATION SCRIPT ARGS...: prints the RESULT line and req/s.
wrk_run() {
  local label=$1 conns=$2 dur=$3 script=$4
  shift 4
  local o
  o=$(wrk -t"$THREADS" -c"$conns" -d"$dur" --timeout 10s \
      -H "X-Forwarded-For: $CLIENT_IP" -s "$HERE/$script" "$BASE" -- "$@")
  local line
  line="$(echo "$o" | grep '^RESULT') rps=$(echo "$o" | awk '/^Requests\/sec:/ {print $2}') secs=$(secs "$dur")"
  echo "$label: $line" >&2
  echo "$line"
}

# CPU use between cpu_begin and cpu_end NAME, in cores: service, PostgreSQL, Redis, the rest.
cpu_snap() {
  local total idle svc pg rd
  read -r total idle < <(awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t, $5 + $6 }' /proc/stat)
  svc=$(awk '{ print $14 + $15 }' "/proc/$SERVICE_PID/stat")
  pg=$(for p in $(pgrep -x postgres); do awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null; done | awk '{ s += $1 } END { print s + 0 }')
  rd=$(for p in $(pgrep -x redis-server); do awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null; done | awk '{ s += $1 } END { print s + 0 }')
  echo "$total $idle $svc $pg $rd"
}
cpu_begin() { CPU_BEGIN=$(cpu_snap); }
cpu_end() {
  local end
  end=$(cpu_snap)
  fig "CPU_$1" "$(echo "$CPU_BEGIN $end" | awk -v n="$(nproc)" '{
    dt = $6 - $1; busy = dt - ($7 - $2); s = $8 - $3; p = $9 - $4; r = $10 - $5
    printf "%.2f / %.2f / %.2f / %.2f", n * s / dt, n * p / dt, n * r / dt, n * (busy - s - p - r) / dt }')"
}

# profile NAME COMMAND...: runs COMMAND with a JFR recording (settings=profile) of the service.
profile() {
  local name=$1
  shift
  jcmd "$SERVICE_PID" JFR.start name="$name" settings=profile >/dev/null
  "$@" > "$WORK/p.$name"
  jcmd "$SERVICE_PID" JFR.dump name="$name" filename="$WORK/$name.jfr" >/dev/null
  jcmd "$SERVICE_PID" JFR.stop name="$name" >/dev/null
}

# ---------------------------------------------------------------------------------------
# Phase 3 (lock released): profiles, Redis clean-up, RESULTS.md.
# (`run.sh --report WORKDIR` redoes only this from a kept work dir.)
# ---------------------------------------------------------------------------------------
report() {
redis-cli --scan --pattern "sentinel:rate:*$CLIENT_IP*" | xargs -r redis-cli del >/dev/null
# shellcheck disable=SC1091
. "$WORK/figures.env"
: "${T0_OF_DAY:=00:00:00}" "${NMT_TOTAL:=n/a}" "${NMT_HEAP:=n/a}" "${EC17:=n/a}" "${RSS_FLOOD_MB:=n/a}" "${CPU_FLOOD:=n/a}"
for name in login me refresh token start; do
  java "$HERE/Profile.java" "$WORK/$name.jfr" 8 > "$WORK/$name.profile" 2>&1 || true
done
# Start-up timeline from the service log, in seconds after `java -jar`.
TIMELINE=$(grep -E '^[0-9]{4}-' "$WORK/service.log" \
  | awk -v t0="$T0_OF_DAY" 'NR > 1 && !/FlywayExecutor|DbMigrate|SimpleScheduler|AdminSeeder|started in/ { next }
    function sec(t,  a) { split(t, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
    BEGIN { z = sec(t0) }
    { ts = $2; sub(",", ".", ts); msg = $0; sub(/^[^)]*\) /, "", msg); printf "+%5.2f s  %s\n", sec(ts) - z, substr(msg, 1, 90) }' | head -8)
field() { sed -E "s/(^|.* )$2=([0-9.]+).*/\2/" "$WORK/${3:-r}.$1"; }
per_s() { awk -v ok="$(field "$1" ok)" -v s="$(field "$1" secs)" 'BEGIN { printf "%.0f", ok / s }'; }
LOGIN_PS=$(awk -v ok="$(field login ok)" -v s="$(field login secs)" 'BEGIN { printf "%.2f", ok / s }')
FLOOD_PS=$(awk -v ok="$(field flood ok)" -v s="$(field flood secs)" 'BEGIN { printf "%.2f", ok / s }')
RAW_BEST=$(awk -v a="$RAW_HPS" -v b="${RAW2_HPS:-$RAW_HPS}" 'BEGIN { printf "%.2f", (a > b ? a : b) }')
LOGIN_RATIO=$(awk -v l="$LOGIN_PS" -v r="$RAW_BEST" 'BEGIN { printf "%.2f", l / r }')
ME_PS=$(per_s me) REFRESH_PS=$(per_s refresh) TOKEN_PS=$(per_s token)
HEY_RPS=$(awk '/Requests\/sec:/ { printf "%.0f", $2 }' "$WORK/r.mefixed")
HEY_P50=$(awk '/ 50% in/ { printf "%.1f", $3 * 1000 }' "$WORK/r.mefixed")
HEY_P99=$(awk '/ 99% in/ { printf "%.1f", $3 * 1000 }' "$WORK/r.mefixed")
HEY_STATUS=$(grep -E '^\s+\[[0-9]+\]' "$WORK/r.mefixed" | sed -E 's/^ *//; s/ responses//' | paste -sd' ' -)
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN {
  ok = (op == ">=") ? v >= t : v < t
  if (ok) print "met"; else if (op == ">=") printf "**missed**: %.0f %% of the target\n", 100 * v / t; else printf "**missed**: %.1f× the limit\n", v / t }'; }
codes() { sed -E 's/.*codes=\[ ?([^]]*)\].*/\1/' "$WORK/r.$1"; }
row() { # label rfile
  echo "| $1 | $(field "$2" ok) | $(field "$2" busy) | $(field "$2" other) $( [ -n "$(codes "$2")" ] && echo "($(codes "$2"))") | $(field "$2" p50) | $(field "$2" p99) |"
}
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
ANALYSIS=
if [ -f "$HERE/RESULTS.md" ] && grep -q '^<!-- analysis' "$HERE/RESULTS.md"; then
  ANALYSIS=$(sed -n '/^<!-- analysis/,$p' "$HERE/RESULTS.md")
fi
{
cat <<MD
# auth-service benchmark

Measured ${MEASURED_AT:-$(date -u +%Y-%m-%dT%H:%MZ)} by \`auth-service/bench/run.sh\` (run from the repository root as
\`auth-service/bench/run.sh\`, defaults: ${DURATION} measured runs after ${WARMUP} warm-ups, wrk with $THREADS threads).
The packaged service (JVM 17, -Xmx512m, prod profile) on loopback against the local PostgreSQL
and Redis, database \`auth_bench\`, Argon2id t=$ARGON2_T m=$ARGON2_M KiB p=$ARGON2_P, outbox relay off.
Machine: $(nproc) cores ($CPU); wrk/hey, PostgreSQL, Redis and the service share them. The
measurement held \`$LOCK\` (no build or test ran; waited ${LOCK_WAIT_S} s for it), load average
before: $LOAD_BEFORE; ${OTHER_JVMS:-?} other service/infra JVMs were running (idle unless someone used them).

## Against the targets

| what | measured | target | verdict |
|---|---|---|---|
| raw Argon2id, $(nproc) threads, same JVM and cores | $RAW_HPS hashes/s ($RAW_MS ms a hash) before the service started, ${RAW2_HPS:-?} beside it idle; the higher, $RAW_BEST, is the ceiling used below | — | — |
| password login, $LOGIN_CONNECTIONS connections | $LOGIN_PS logins/s = $LOGIN_RATIO × raw | ≥ 0.9 × raw | $(verdict "$LOGIN_RATIO" 0.9 ">=") |
| login flood, $FLOOD_CONNECTIONS connections (pool $(nproc) + queue 32) | $FLOOD_PS logins/s, $(field flood busy) × 503, $(field flood other) other ($(codes flood)), peak RSS $RSS_FLOOD_MB MB | queue or 503, RSS bounded | $( [ "$(field flood other)" = 0 ] && echo "met" || echo "pool and RSS bounded, but $(field flood other) answers were neither 200 nor 503: see the analysis") |
| refresh with rotation, $REFRESH_CONNECTIONS connections | $REFRESH_PS /s | ≥ 3,000/s | $(verdict "$REFRESH_PS" 3000 ">=") |
| \`GET /v1/auth/me\`, $CONNECTIONS connections | $ME_PS req/s | ≥ 11,000 req/s | $(verdict "$ME_PS" 11000 ">=") |
| \`GET /v1/auth/me\` at a fixed $ME_FIXED_TARGET req/s (hey, 50 workers) | $HEY_RPS req/s, p50 $HEY_P50 ms, p99 $HEY_P99 ms | p99 < 10 ms at half load | $(verdict "$HEY_P99" 10 "<") |
| client_credentials, $CONNECTIONS connections | $TOKEN_PS tokens/s | ≥ 3,000/s | $(verdict "$TOKEN_PS" 3000 ">=") |
| start to ready (\`java -jar\` until /q/health/ready is UP) | $READY_S s (Quarkus: "started in $QUARKUS_STARTED") | < 3 s | $(verdict "$READY_S" 3 "<") |
| RSS idle / after load / peak (VmHWM) | $RSS_IDLE_MB / $RSS_AFTER_MB / $RSS_PEAK_MB MB (after load, NMT: $NMT_TOTAL committed, of it Java heap $NMT_HEAP) | < 300 MB | idle $(verdict "$RSS_IDLE_MB" 300 "<"), after load $(verdict "$RSS_AFTER_MB" 300 "<") |
| ES256 on one thread (\`EcBench.java\`), the service's JDK | $(echo "$EC17" | sed -E 's/EC java=([^ ]+) sign_per_s=([0-9]+) verify_per_s=([0-9]+)/JDK \1: \2 signs\/s, \3 verifies\/s/') | — | — |
$( [ -n "${ECALT:-}" ] && echo "| the same on the machine's newer JDK (not what the service runs) | $(echo "$ECALT" | sed -E 's/EC java=([^ ]+) sign_per_s=([0-9]+) verify_per_s=([0-9]+)/JDK \1: \2 signs\/s, \3 verifies\/s/') | — | — |")

## Runs

| run ($DURATION) | 200 | 503 | other | p50 ms | p99 ms |
|---|---|---|---|---|---|
$(row "login, $LOGIN_CONNECTIONS conns" login)
$(row "login flood, $FLOOD_CONNECTIONS conns" flood)
$(row "refresh, $REFRESH_CONNECTIONS conns" refresh)
$(row "me, $CONNECTIONS conns" me)
$(row "client_credentials, $CONNECTIONS conns" token)

Profiled runs (${PROFILE}, JFR on, right after the measured ones), successful requests/s:
$(for n in login me refresh token; do [ -f "$WORK/p.$n" ] && printf '%s %s, ' "$n" "$(awk -v ok="$(field "$n" ok p)" -v s="$(field "$n" secs p)" 'BEGIN { printf "%.0f", ok / s }')"; done | sed 's/, $//').
They ran faster than the measured runs before them for \`me\`: the JIT was still improving
the JDK's P-256 code after more than 30 s of load.

\`me\` at a fixed rate (hey -z $DURATION -c 50 -q $(awk -v r="$ME_FIXED_TARGET" 'BEGIN { printf "%.1f", r / 50 }')): status codes $HEY_STATUS.
The fixed rate is half the measured maximum (capped at 5,500, half the target). wrk2 is not
packaged for Debian; hey's per-worker rate limit is the nearest, but each worker still waits
for its answer, so it does not correct for coordinated omission as wrk2 would.
$SESSIONS sessions were opened by the login runs and split into three disjoint token sets
(refresh warm-up, measure, profile); each refresh sends a token never sent before (the
successor of the connection's previous answer), so every 200 is a real rotation.
Service log: $BUSY_WARNINGS "hashing pool is full" warnings (one per 503 SYS_BUSY) and
${HIBERNATE_ERRORS:-?} Hibernate "possible non-threadsafe access to session" errors (see the analysis).

Start-up, from the service log (seconds after \`java -jar\`; ready at $READY_S s):

\`\`\`
$TIMELINE
\`\`\`

CPU in cores during each measured run (service / PostgreSQL / Redis / everything else,
mostly the load generator):

| run | cores used |
|---|---|
| login | $CPU_LOGIN |
| login flood | $CPU_FLOOD |
| refresh | $CPU_REFRESH |
| me | $CPU_ME |
| client_credentials | $CPU_TOKEN |

## Profiles

JFR (settings=profile) of the service during an extra ${PROFILE} run of each kind after the
measured one (\`start\`: a second start of the service, recorded from its first instant);
\`bench/Profile.java\` groups the CPU samples (Java code only: native
Argon2 runs outside them) by the first known area on the stack.

MD
for name in login me refresh token start; do
  echo "### $name"
  echo
  echo '```'
  cat "$WORK/$name.profile"
  echo '```'
  echo
done
if [ -n "$ANALYSIS" ]; then echo "$ANALYSIS"; fi
} > "$HERE/RESULTS.md"
cat "$HERE/RESULTS.md"
}

if [ "${1:-}" = "--report" ]; then
  WORK=$2
  report
  exit 0
fi
if [ "${1:-}" = "--locked" ]; then
  measure
  exit 0
fi

# ---------------------------------------------------------------------------------------
# Phase 1: tools, build if needed, infra, database, keys (no lock needed except for Maven).
# ---------------------------------------------------------------------------------------
for tool in wrk hey; do
  command -v "$tool" >/dev/null || { apt-get install -y "$tool" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y "$tool" >/dev/null; }; }
done
cd "$ROOT"
if [ ! -f "$JAR" ]; then
  flock "$LOCK" ./mvnw -B -q -pl shared-contracts,auth-service package -DskipTests
fi
deploy/local/sentinel infra >/dev/null
if [ -z "$($PG -d postgres -c "select 1 from pg_database where datname = 'auth_bench'")" ]; then
  $PG -d postgres -c "create database auth_bench"
fi
if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then echo "port $PORT is in use: set BENCH_PORT" >&2; exit 1; fi

WORK=$(mktemp -d)
if [ -n "${BENCH_KEEP_WORK:-}" ]; then echo "work dir: $WORK" >&2; else trap 'rm -rf "$WORK"' EXIT; fi
rand_b64() { head -c "$1" /dev/urandom | base64 -w0; }
BENCH_CLIENT_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export BENCH_WORK=$WORK BENCH_RUN=$(date +%s) BENCH_CLIENT_SECRET
export DB_NAME=auth_bench LOG_JSON=false CAPTCHA_PROVIDER=disabled \
  JWT_JWK_CURRENT="$(java "$ROOT/deploy/local/KeyGen.java")" \
  JWKS_URL="http://127.0.0.1:$PORT/.well-known/jwks.json" \
  REFRESH_TOKEN_KEY="$(rand_b64 32)" \
  ENCRYPTION_KEYS="{\"v1\":\"$(rand_b64 32)\"}" ENCRYPTION_KEY_CURRENT=v1 \
  SERVICE_CLIENTS="bench-client:$(printf '%s' "$BENCH_CLIENT_SECRET" | sha256sum | cut -d' ' -f1)" \
  ADMIN_EMAIL=bench-admin@bench.test ADMIN_PASSWORD="Sentinel-$(rand_b64 18 | tr -d '/+=')" QUARKUS_PROFILE=prod \
  RATE_LIMIT_PER_IP=10000000 \
  ARGON2_ITERATIONS=$ARGON2_T ARGON2_MEMORY_KIB=$ARGON2_M ARGON2_PARALLELISM=$ARGON2_P
unset JWT_JWK_PREVIOUS TURNSTILE_SECRET_KEY 2>/dev/null || true

export BENCH_LOCK_ASKED=$(date +%s)
flock -n "$LOCK" true 2>/dev/null || echo "waiting for $LOCK (a build or test is running)" >&2
flock "$LOCK" "$HERE/run.sh" --locked

report
