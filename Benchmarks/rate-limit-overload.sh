#!/usr/bin/env bash
# Sustained 2x overload on one upstream bucket (Workingflow, 20/s burst 5): the admitted upstream
# rate must stay at or below the configured rate and at least 95 % of it. Gateway and emulators run
# as separate processes on loopback; the load lasts a fixed 30 s.
#
# Usage: Benchmarks/rate-limit-overload.sh [debug|release]   (default: release)
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-release}
export PATH=/opt/swift/usr/bin:$PATH
swift build -c "$MODE" --product flowgate >/dev/null 2>&1
BIN=.build/$MODE/flowgate
mkdir -p Benchmarks/out
WORK=$(mktemp -d)
GW_PORT=18081
RATE=20
BURST=5
cleanup() { kill "${GW:-}" "${EMU:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

sed -e "s/127.0.0.1:910\([1-4]\)/127.0.0.1:1920\1/" -e "s/^  port: 8080/  port: $GW_PORT/" \
    -e "s/^  drain_timeout_s: 5/  drain_timeout_s: 5\n  ratelimit_max_wait_s: 0.5/" Config/demo.yaml >"$WORK/config.yaml"
# The Workingflow connection's bucket, overridden as a connection would in production.
sed -i "s|credentials: {api_key: wf_demo_0000000000000000}|credentials: {api_key: wf_demo_0000000000000000}\n        limits: {default: {rate_per_s: $RATE, burst: $BURST}}|" "$WORK/config.yaml"
"$BIN" emulate --base-port 19201 >"$WORK/emulate.log" 2>&1 &
EMU=$!
"$BIN" serve --config "$WORK/config.yaml" --log-level error >"$WORK/serve.log" 2>&1 &
GW=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$GW_PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
sleep 1
python3 Benchmarks/rate-limit-overload.py "http://127.0.0.1:$GW_PORT" fgk_demo_local_only "$RATE" "$BURST" 30 | tee Benchmarks/out/rate-limit-overload.txt
