#!/usr/bin/env bash
# The audit log's export and offline verification at 1 M rows (issue 11, Benchmark):
#   - export of BENCH_ROWS rows over HTTP (GET export?format=jsonl&order=seq): time, and the service's heap
#     (jstat every 200 ms: peak used, old generation, and used after a full GC before and after);
#   - the offline verifier (audit-verifier/target/audit-verify.jar, -Xmx64m) on that export: time.
#
# Seeds its own database (audit_bench, recreated every run) with bench/seed.sql: BENCH_ROWS rows with
# correct leaf hashes and every interior node, computed by PostgreSQL's sha256(). Then starts the
# packaged service (target/quarkus-app; build first) on a spare port against it, with a throwaway
# signing key, KEK and JWT key (TokenKit.java), the outbox relay off and a Kafka group of its own, and
# waits for the service to sign a checkpoint of the seeded tree (it computes the root from the stored
# nodes). The verifier answering VALID on the export is the check that seed, service and verifier
# agree on every leaf and node. Holds the shared Maven lock while it measures. Writes RESULTS.md.
#
# Then the export once more with the service's heap capped at BENCH_TIGHT_XMX (96m: about its idle heap
# plus 64 MB): completing there, with every row, shows the growth bound without counting young garbage.
#
# env: BENCH_ROWS (1000000), BENCH_PORT (18083), BENCH_TIGHT_XMX (96m)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
MODULE=$(dirname "$HERE")
ROOT=$(dirname "$MODULE")
ROWS=${BENCH_ROWS:-1000000}
PORT=${BENCH_PORT:-18083}
PG="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt"
JAR="$MODULE/target/quarkus-app/quarkus-run.jar"
VERIFIER="$ROOT/audit-verifier/target/audit-verify.jar"
WORK=$(mktemp -d)
SERVICE_PID=
SAMPLER_PID=

[ -f "$JAR" ] || { echo "build first: ./mvnw -B -o -q package -pl admin-audit-service -am -DskipTests" >&2; exit 1; }
[ -f "$VERIFIER" ] || { echo "build first: ./mvnw -B -o -q package -pl audit-verifier -DskipTests" >&2; exit 1; }

cleanup() {
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
  if [ -n "$SERVICE_PID" ]; then kill "$SERVICE_PID" 2>/dev/null || true; wait "$SERVICE_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
  $PG -d postgres -c "drop database if exists audit_bench" 2>/dev/null || true   # ~1.5 GB at 1 M rows
}
trap cleanup EXIT

exec 9>/tmp/sentinel-maven.lock
flock 9

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
java "$HERE/TokenKit.java" "$WORK"
TOKEN=$(cat "$WORK/admin.jwt")
mkdir -p "$WORK/mirror"
BASE="http://127.0.0.1:$PORT"
export AUDIT_KEK=$(head -c 32 /dev/urandom | base64) AUDIT_SIGNING_KEY=$(head -c 32 /dev/urandom | base64)
export ADMIN_AUDIT_CLIENT_SECRET=bench-not-used AUDIT_CHECKPOINT_MIRROR_DIR="$WORK/mirror"
export DB_NAME=audit_bench LOG_JSON=false AUDIT_CHECKPOINT_EVERY=1s AUDIT_EVENTS_GROUP="admin-audit-bench-$(date +%s)"

TIGHT=${BENCH_TIGHT_XMX:-96m}
XMX=512m
start() {
  java -Xmx$XMX -XX:+UseG1GC \
    -Dquarkus.http.port="$PORT" \
    -Dmp.jwt.verify.publickey.location="file:$WORK/jwks.json" \
    -Dmp.jwt.verify.issuer=sentinel-bench -Dmp.jwt.verify.audiences=sentinel \
    -Dsentinel.outbox.relay-enabled=false \
    -Dmp.messaging.incoming.security-events.auto.offset.reset=latest \
    -Dquarkus.log.level=WARN \
    -jar "$JAR" > "$WORK/service.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 240); do
    curl -fs "$BASE/q/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$SERVICE_PID" 2>/dev/null || { cat "$WORK/service.log"; exit 1; }
    sleep 0.5
  done
  echo "service not ready" >&2; tail -50 "$WORK/service.log"; exit 1
}
stop() { kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true; SERVICE_PID=; }

$PG -d postgres -c "drop database if exists audit_bench" -c "create database audit_bench"
start   # Flyway creates the schema
stop
T0=$(date +%s.%N)
$PG -d audit_bench -v rows="$ROWS" -f "$HERE/seed.sql"
SEED_S=$(echo "$(date +%s.%N) - $T0" | bc)
echo "seeded $ROWS rows and their nodes in $SEED_S s" >&2

start
for _ in $(seq 1 600); do
  SIZE=$(curl -fs -H "Authorization: Bearer $TOKEN" "$BASE/v1/admin/audit-logs/checkpoints/latest" | sed -n 2p || true)
  [ -n "$SIZE" ] && [ "$SIZE" -ge "$ROWS" ] && break
  sleep 0.5
done
[ "${SIZE:-0}" -ge "$ROWS" ] || { echo "no checkpoint of $ROWS rows" >&2; tail -50 "$WORK/service.log"; exit 1; }
curl -fs -H "Authorization: Bearer $TOKEN" "$BASE/v1/admin/audit-logs/checkpoints/latest" > "$WORK/note.txt"
curl -fs -H "Authorization: Bearer $TOKEN" "$BASE/v1/admin/audit-logs/public-key" > "$WORK/key.txt"

heap_used_kb() { # S0U S1U EU OU of jstat -gc, in KB
  jstat -gc "$SERVICE_PID" | awk 'NR==2 {printf "%.0f", $3 + $4 + $6 + $8}'
}
old_used_kb() { jstat -gc "$SERVICE_PID" | awk 'NR==2 {printf "%.0f", $8}'; }

# Warm the export path (JIT) with a small export, then settle the heap.
curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" "$BASE/v1/admin/audit-logs/export?format=jsonl&actor=nobody"
jcmd "$SERVICE_PID" GC.run >/dev/null
sleep 1
BASE_HEAP=$(heap_used_kb)
BASE_OLD=$(old_used_kb)
( while true; do jstat -gc "$SERVICE_PID" | awk 'NR==2 {printf "%.0f %.0f\n", $3 + $4 + $6 + $8, $8}'; sleep 0.2; done ) > "$WORK/heap.txt" 2>/dev/null &
SAMPLER_PID=$!
jcmd "$SERVICE_PID" JFR.start name=export settings=profile >/dev/null
EXPORT_S=$(curl -fs -o "$WORK/rows.jsonl" -w '%{time_total}' -H "Authorization: Bearer $TOKEN" \
  "$BASE/v1/admin/audit-logs/export?format=jsonl&order=seq")
kill "$SAMPLER_PID"; SAMPLER_PID=
jcmd "$SERVICE_PID" JFR.stop name=export filename="$WORK/export.jfr" >/dev/null
# Where the service's CPU went during the export: the top (leaf) frames of JFR's execution samples.
jfr print --events jdk.ExecutionSample "$WORK/export.jfr" > "$WORK/samples.txt"
SAMPLE_COUNT=$(grep -c 'jdk.ExecutionSample' "$WORK/samples.txt" || true)
TOP_FRAMES=$(awk '/stackTrace = \[/ {getline; sub(/^ +/, ""); sub(/line:.*/, ""); print}' "$WORK/samples.txt" \
  | sort | uniq -c | sort -rn | head -12 | awk '{c=$1; $1=""; printf "| %s | %d |\n", $0, c}')
PEAK_HEAP=$(sort -n "$WORK/heap.txt" | tail -1 | cut -d' ' -f1)
PEAK_OLD=$(sort -n -k2 "$WORK/heap.txt" | tail -1 | cut -d' ' -f2)
SAMPLES=$(wc -l < "$WORK/heap.txt")
jcmd "$SERVICE_PID" GC.run >/dev/null
sleep 1
AFTER_HEAP=$(heap_used_kb)
EXPORT_LINES=$(wc -l < "$WORK/rows.jsonl")
EXPORT_MB=$(( $(stat -c %s "$WORK/rows.jsonl") / 1024 / 1024 ))
echo "export: $EXPORT_LINES lines, $EXPORT_MB MB in $EXPORT_S s; heap KB base $BASE_HEAP peak $PEAK_HEAP after-GC $AFTER_HEAP; old base $BASE_OLD peak $PEAK_OLD" >&2

stop
XMX=$TIGHT
start
: > "$WORK/rows-tight.jsonl"
TIGHT_S=$(curl -fs -o "$WORK/rows-tight.jsonl" -w '%{time_total}' -H "Authorization: Bearer $TOKEN" \
  "$BASE/v1/admin/audit-logs/export?format=jsonl&order=seq" || echo failed)
TIGHT_LINES=$(wc -l < "$WORK/rows-tight.jsonl")
TIGHT_OOM=$(grep -c OutOfMemoryError "$WORK/service.log" || true)
rm -f "$WORK/rows-tight.jsonl"
echo "export at -Xmx$TIGHT: $TIGHT_LINES lines in $TIGHT_S s, OutOfMemoryError in the log: $TIGHT_OOM" >&2
stop   # the verifier runs alone
/usr/bin/time -f '%e %M' -o "$WORK/time.txt" java -Xmx64m -jar "$VERIFIER" --export "$WORK/rows.jsonl" \
  --checkpoint "$WORK/note.txt" --public-key "$WORK/key.txt" > "$WORK/verify.txt" 2>&1 || true
VERIFY_S=$(cut -d' ' -f1 "$WORK/time.txt")
VERIFY_RSS_MB=$(( $(cut -d' ' -f2 "$WORK/time.txt") / 1024 ))
cat "$WORK/verify.txt" >&2
VERDICT=$(grep -E '^(VALID|INVALID)' "$WORK/verify.txt" | sed -E 's# signed by [^ ]*/# signed by #' | cut -c1-200)

CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
mb() { echo "scale=1; $1 / 1024" | bc; }
cat > "$HERE/RESULTS.md" <<MD
# admin-audit-service benchmark: export and offline verification

Measured $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/run.sh\` ($ROWS rows). Machine: $(nproc) cores ($CPU),
shared with PostgreSQL, Kafka, Redis and whatever else ran: load average $LOAD_BEFORE before the run.
Figures on a shared 2-core machine are a floor, not a capacity plan.

Seed: \`bench/seed.sql\` — $ROWS rows with correct leaf hashes and all interior nodes, computed in
PostgreSQL ($(printf '%.0f' "$SEED_S") s). Rows carry subject, actor, outcome, trace id, a data object and 41/60-byte
ip/user-agent ciphertexts under owner keys that do not exist (so they read as erased: the export did
no AES-GCM open; with keys it would decrypt two fields per row). The service then signed a checkpoint
of the tree from the stored nodes.

| measure | figure | target |
|---|---|---|
| export of $EXPORT_LINES rows (\`export?format=jsonl&order=seq\`, curl to a file on loopback, $EXPORT_MB MB) | **$(printf '%.1f' "$EXPORT_S") s** | < 10 s |
| service heap used, after a full GC, before the export | $(mb "$BASE_HEAP") MB | |
| service heap used, peak of $SAMPLES samples (every 200 ms) during the export, garbage included | $(mb "$PEAK_HEAP") MB (+$(mb $((PEAK_HEAP - BASE_HEAP))) MB) | growth < 64 MB |
| old generation, before → peak during the export (what survived young collections) | $(mb "$BASE_OLD") → $(mb "$PEAK_OLD") MB | |
| service heap used, after a full GC, after the export | $(mb "$AFTER_HEAP") MB (+$(mb $((AFTER_HEAP - BASE_HEAP))) MB) | |
| the same export after a restart (cold JIT) with the service at \`-Xmx$TIGHT\` | $TIGHT_LINES rows in $(printf '%.1f' "$TIGHT_S" 2>/dev/null || echo "$TIGHT_S") s, $TIGHT_OOM OutOfMemoryError | completes, all rows |
| offline verification of the export (\`java -Xmx64m -jar audit-verify.jar\`, wall time incl. JVM start) | **$VERIFY_S s**, max RSS $VERIFY_RSS_MB MB | < 10 s |

Verdict: \`$VERDICT\`

Where the service's CPU went during the export ($SAMPLE_COUNT JFR execution samples, top frame, most frequent first):

| top frame | samples |
|---|---|
$TOP_FRAMES

The service ran with \`-Xmx512m\` (G1) for the heap figures; heap figures are jstat's S0U+S1U+EU+OU. The peak includes young
garbage not yet collected, so it bounds the export's growth from above; the old generation and the
after-GC figure show what the export kept (one page of 500 rows at a time, README "Export").
MD
cat "$HERE/RESULTS.md"
