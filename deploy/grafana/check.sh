#!/usr/bin/env bash
# Checks the Grafana dashboards (deploy/grafana/check.mjs): JSON, uids, data source
# variable, and every PromQL expression parsed by promtool. promtool comes from PATH or
# from the state folder, where deploy/prometheus/check.sh unpacks it on first use.
# Run by `deploy/local/sentinel test`.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE="${SENTINEL_STATE_DIR:-$ROOT/deploy/local/.state}"

promtool="$(command -v promtool || true)"
if [[ -z "$promtool" ]]; then
  promtool="$STATE/prometheus/usr/bin/promtool"
  [[ -x "$promtool" ]] || SENTINEL_STATE_DIR="$STATE" "$ROOT/deploy/prometheus/check.sh" >/dev/null
fi
[[ -x "$promtool" ]] || { echo "grafana: no promtool (deploy/prometheus/check.sh fetches it)" >&2; exit 1; }
exec node "$HERE/check.mjs" "$promtool"
