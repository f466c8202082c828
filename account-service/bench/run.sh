#!/usr/bin/env bash
# Charges/s of account-service against one hot account and spread over 1,000 accounts, and
# the overshoot (cents charged past a cap: must be 0), on this machine's loopback.
#
# Starts the packaged service (target/quarkus-app, build it first with the module's
# install) on its own port and its own database (account_bench, recreated every run),
# trusting a throwaway key made by TokenKit.java, with the outbox relay off (nothing is
# published) and a consumer group of its own. Drives it with wrk, writes RESULTS.md.
#
# env: BENCH_PORT (18082), BENCH_DURATION (15s), BENCH_WARMUP (15s), BENCH_CONNECTIONS (64), BENCH_THREADS (2)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
MODULE=$(dirname "$HERE")
PORT=${BENCH_PORT:-18082}
DURATION=${BENCH_DURATION:-15s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
PG="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt"
JAR="$MODULE/target/quarkus-app/quarkus-run.jar"
WORK=$(mktemp -d)
RUN=$(date +%s)
SERVICE_PID=

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -f "$JAR" ] || { echo "build first: ./mvnw -pl shared-contracts,account-service install" >&2; exit 1; }

cleanup() {
  if [ -n "$SERVICE_PID" ]; then kill "$SERVICE_PID" 2>/dev/null || true; wait "$SERVICE_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
java "$HERE/TokenKit.java" "$WORK"
export BENCH_TOKEN=$(cat "$WORK/service.jwt") BENCH_RUN=$RUN
BILLING=$(cat "$WORK/billing.jwt")

$PG -d postgres -c "drop database if exists account_bench" -c "create database account_bench"

DB_NAME=account_bench LOG_JSON=false java -Xmx512m \
  -Dquarkus.http.port="$PORT" \
  -Dmp.jwt.verify.publickey.location="file:$WORK/jwks.json" \
  -Dmp.jwt.verify.issuer=sentinel-bench -Dmp.jwt.verify.audiences=sentinel \
  -Dsentinel.outbox.relay-enabled=false \
  -Dmp.messaging.incoming.security-events.group.id=account-service-bench \
  -Dmp.messaging.incoming.security-events.auto.offset.reset=latest \
  -Dquarkus.log.level=WARN \
  -jar "$JAR" > "$WORK/service.log" 2>&1 &
SERVICE_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 120); do
  curl -fs "$BASE/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVICE_PID" 2>/dev/null || { cat "$WORK/service.log"; exit 1; }
  sleep 0.5
done
curl -fs "$BASE/q/health/ready" >/dev/null || { echo "service not ready" >&2; tail -50 "$WORK/service.log"; exit 1; }

# The hot account goes PRO (cap 1,000,000 cents) so the throughput runs never meet the cap.
curl -fs -o /dev/null -X POST "$BASE/v1/admin/accounts/hot-$RUN/plan" -H "Authorization: Bearer $BILLING" \
  -H 'Content-Type: application/json' -d '{"plan":"PRO"}'

declare -a ROWS
scenario() { # name prefix count amount duration
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$5" -s "$HERE/charge.lua" "$BASE" -- "$2" "$3" "$4")
  local rps result
  rps=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
  result=$(echo "$out" | grep '^RESULT')
  echo "$1: $rps req/s  $result" >&2
  ROWS+=("| $1 | $(printf '%.0f' "$rps") | $(echo "$result" | sed -E 's/.*ok=([0-9]+) refused=([0-9]+) other=([0-9]+) p50=([0-9.]+) p99=([0-9.]+).*/\1 | \2 | \3 | \4 | \5/') |")
}

# Warm the JIT and the pools, then measure.
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${BENCH_WARMUP:-15s}" -s "$HERE/charge.lua" "$BASE" -- "warm-$RUN" 100 1 >/dev/null
scenario "1 hot account, 1-cent charges" "hot-$RUN" 1 1 "$DURATION"
scenario "1,000 accounts, 1-cent charges" "spread-$RUN" 1000 1 "$DURATION"
scenario "1 hot account at its 1,000-cent cap, 7-cent charges" "capped-$RUN" 1 7 10s
scenario "1,000 accounts at their 1,000-cent caps, 97-cent charges" "caps-$RUN" 1000 97 "$DURATION"

OVERSHOOT=$($PG -d account_bench -c "select coalesce(sum(greatest(0, spent_cents + reserved_cents - monthly_cap_cents)), 0) from account")
UNACCOUNTED=$($PG -d account_bench -c "select (select coalesce(sum(spent_cents), 0) from account)
  - (select coalesce(sum(amount_cents), 0) from spend_request where status = 200 and kind = 'CHARGE')")
AT_CAP=$($PG -d account_bench -c "select count(*) from account where user_id like 'caps-$RUN-%' and spent_cents = 970")
CAPPED_SPENT=$($PG -d account_bench -c "select spent_cents from account where user_id = 'capped-$RUN'")
ACCOUNTS=$($PG -d account_bench -c "select count(*) from account")

CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
cat > "$HERE/RESULTS.md" <<MD
# account-service benchmark

Measured $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/run.sh\`: the packaged service (JVM, -Xmx512m) on
loopback against the local PostgreSQL, Redis and Kafka, driven by wrk with $THREADS threads and
$CONNECTIONS connections, SERVICE token, a unique idempotency key per request.
Machine: $(nproc) cores ($CPU); wrk, PostgreSQL and the service share them, and whatever else
ran: load average $LOAD_BEFORE before the run. Figures on a shared 2-core machine are a floor,
not a capacity plan.

| scenario | charges/s | 200 | 402 | other | p50 ms | p99 ms |
|---|---|---|---|---|---|---|
$(printf '%s\n' "${ROWS[@]}")

**Overshoot: $OVERSHOOT cents** — the sum over all $ACCOUNTS accounts of spent + reserved above
the cap after every run. Spent minus the sum of accepted charges: $UNACCOUNTED cents (every
cent spent is an accepted charge). The hot capped account ended at $CAPPED_SPENT cents
(142 × 7 = 994 is the most that fits); $AT_CAP of the 1,000 capped accounts ended at exactly
970 cents (10 × 97), the others never received 10 charges in the run.

Every charge locks its account's row, so one hot account is bounded by PostgreSQL's
serialised row updates (four statements under the lock: select for update, idempotency
lookup, insert of the idempotency record, update of the totals); spread accounts run in
parallel up to the connection pool (20) and the cores. On this machine the service is
CPU-bound before PostgreSQL is. Until 1ae9cba a JFR profile of the spread run showed about
40 % of the service's CPU samples in ES256 verification of the bearer token (JDK 17's
P-256 code), repeated on every request; the shared verified-token cache now verifies a
token once a minute at most (at 15:24Z, before it: 72 charges/s hot, 153/s spread, on a
machine loaded to ~6).
MD
cat "$HERE/RESULTS.md"
