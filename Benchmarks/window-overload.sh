#!/usr/bin/env bash
# Twice Geotareas' read budget (30 per sliding 60 s) offered for several windows, through one gateway
# (memory store) and through three replicas sharing one PostgreSQL (cluster mode), against the
# Geotareas emulator, whose own window refuses (429) anything over 30. For each: admitted ÷ budget in
# the steady state (target >= 0.95), the busiest 60 s window (must be <= 30), upstream 429s (target 0),
# and the margin left between calls 30 apart after delivery jitter. Each margin given is run in turn
# (window_margin_ms 0 shows the raw jitter the default margin must cover).
#
# Its own PostgreSQL (port 54362, data under /tmp/flowgate-postgres-window-bench), so other work's
# database is left alone; stopped and deleted at the end. Everything listens on 127.0.0.1.
#
# Usage: Benchmarks/window-overload.sh [debug|release] [seconds per run] [margin_ms ...]
#        (default: release, 210 s = 3.5 windows, margins 100)
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-release}
SECONDS_PER_RUN=${2:-210}
shift $(($# > 2 ? 2 : $#))
MARGINS=("${@:-100}")
[ ${#MARGINS[@]} -gt 0 ] || MARGINS=(100)
export PATH=/opt/swift/usr/bin:$PATH
source Benchmarks/common.sh
swift build -c "$MODE" --product flowgate >/dev/null 2>&1
BIN=$(swift build -c "$MODE" --show-bin-path)/flowgate
export FLOWGATE_PG_PORT=54362 FLOWGATE_PG_DIR=/tmp/flowgate-postgres-window-bench
STORE_URL=$(scripts/dev-postgres.sh start)
mkdir -p Benchmarks/out
WORK=$(mktemp -d)
PIDS=()
stop_all() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; PIDS=(); }
cleanup() { stop_all; scripts/dev-postgres.sh stop >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
bench_key "$BIN" "$WORK"
EMULATOR=http://127.0.0.1:19603

# config FILE PORT MARGIN [store]: one tenant, one Geotareas connection on the emulator.
config() {
    cat >"$1" <<YAML
server:
  host: 127.0.0.1
  port: $2
  cursor_secret: bench-cursor-secret-not-for-production
  drain_timeout_s: 2
  window_margin_ms: $3
${4:+store: \"$4\"}
tenants:
  - name: bench
    keys:
      - {id: bench, hash: "$KEY_HASH", scopes: [read, execute], rate: {per_second: 1000000, burst: 1000000}}
    connections:
      - name: geo
        provider: geotareas
        base_url: $EMULATOR
        tenant_host: demo.geotareas.com
        timezone: UTC
        credentials: {api_key: geo_demo_key, email: demo@flowgate.local, password: demo-password}
YAML
    "$BIN" check-config "$1" >/dev/null
}

# run LABEL MARGIN STORE PORT...: fresh emulators and gateways (on STORE, or memory when empty), the
# load, then everything stopped.
run() {
    local label=$1 margin=$2 store=$3
    shift 3
    local slug=${store:+fleet}
    slug=${slug:-single}-$margin
    "$BIN" emulate --base-port 19601 >"$WORK/emulate-$slug.log" 2>&1 &
    PIDS+=($!)
    wait_http "$EMULATOR/_emulator/faults"
    # A fresh fleet schedule: rows an earlier run left would still hold its slots.
    [ -z "$store" ] || psql -X -q "$store" -c "TRUNCATE flowgate_limits" >/dev/null 2>&1 || true
    local urls=()
    for port in "$@"; do
        config "$WORK/$slug-$port.yaml" "$port" "$margin" "$store"
        "$BIN" serve --config "$WORK/$slug-$port.yaml" --log-level error >"$WORK/serve-$slug-$port.log" 2>&1 &
        PIDS+=($!)
        urls+=("http://127.0.0.1:$port")
    done
    for url in "${urls[@]}"; do wait_http "$url/readyz"; done
    local joined
    joined=$(IFS=,; echo "${urls[*]}")
    python3 Benchmarks/window-overload.py "$label" "$joined" "$KEY" "$EMULATOR" "$SECONDS_PER_RUN" "$margin" 2>>"$WORK/details.jsonl" || true
    ! grep -il "unreachable" "$WORK"/serve-"$slug"-*.log >/dev/null || echo "  ($label: a replica lost the store; not a valid run)"
    stop_all
}

{
    echo "### Window buckets under 2x overload ($MODE build, $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores)"
    echo
    echo "Geotareas reads (30 per sliding 60 s) offered at 60/min (Poisson, each a distinct uncached read) for $SECONDS_PER_RUN s;"
    echo "windows aligned on the first upstream read; steady state = every full window after the first."
    echo
    echo "| gateways | margin ms | load | offered | upstream reads | per window | admitted ÷ budget, steady | busiest 60 s | upstream 429s | callers | min spacing − 60 s (ms) |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    for margin in "${MARGINS[@]}"; do
        run "1 gateway" "$margin" "" 18301
        run "3 replicas, PostgreSQL" "$margin" "$STORE_URL" 18311 18312 18313
    done
} | tee Benchmarks/out/window-overload.md
cat "$WORK/details.jsonl" >&2
