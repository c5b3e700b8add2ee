#!/usr/bin/env bash
# Cache-hit throughput and latency of the gateway against a bare Hummingbird responder returning the
# same bytes, measured in the same run with the same load (wrk, loopback, keep-alive).
# Goal: the gateway's cache hits at >= 0.7x the responder's requests per second.
#
# Usage: Benchmarks/cache-hits.sh [debug|release] [seconds per run]   (default: release, 5)
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-release}
SECONDS_PER_RUN=${2:-5}
export PATH=/opt/swift/usr/bin:$PATH
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
swift build -c "$MODE" --product flowgate >/dev/null 2>&1
swift build -c "$MODE" --product bench-responder >/dev/null 2>&1
BIN=.build/$MODE/flowgate
mkdir -p Benchmarks/out
WORK=$(mktemp -d)
GW_PORT=18082
BARE_PORT=18090
KEY=fgk_demo_local_only
cleanup() { kill "${GW:-}" "${EMU:-}" "${BARE:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

sed -e "s/127.0.0.1:910\([1-4]\)/127.0.0.1:1930\1/" -e "s/^  port: 8080/  port: $GW_PORT/" Config/demo.yaml >"$WORK/config.yaml"
# An hour's TTL for the benchmarked read, so every request of the run is a hit.
sed -i "s|credentials: {api_key: wf_demo_0000000000000000}|credentials: {api_key: wf_demo_0000000000000000}\n        cache: {ttl_s: {get_instance: 3600}}|" "$WORK/config.yaml"
"$BIN" emulate --base-port 19301 >"$WORK/emulate.log" 2>&1 &
EMU=$!
"$BIN" serve --config "$WORK/config.yaml" --log-level error >"$WORK/serve.log" 2>&1 &
GW=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$GW_PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
URL="http://127.0.0.1:$GW_PORT/v1/instances/wf:50100"
curl -fs -H "Authorization: Bearer $KEY" "$URL" -o "$WORK/body.json"
curl -fs -D - -o /dev/null -H "Authorization: Bearer $KEY" "$URL" | grep -qi '^x-cache: HIT' || { echo "not a cache hit" >&2; exit 1; }
".build/$MODE/bench-responder" --port "$BARE_PORT" --body "$WORK/body.json" >/dev/null 2>&1 &
BARE=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$BARE_PORT/x" >/dev/null 2>&1 && break; sleep 0.1; done

run() { wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" --latency -H "Authorization: Bearer $KEY" "$1"; }
rps() { awk '/^Requests\/sec/ {print $2}' "$1"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$1"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# Three alternating rounds, so a noisy neighbour hurts both sides alike; medians compared.
for round in 1 2 3; do
    run "http://127.0.0.1:$BARE_PORT/v1/instances/wf:50100" >"$WORK/bare$round.txt"
    run "$URL" >"$WORK/gateway$round.txt"
done
bare=$(for r in 1 2 3; do rps "$WORK/bare$r.txt"; done | median)
gateway=$(for r in 1 2 3; do rps "$WORK/gateway$r.txt"; done | median)
cp "$WORK/bare2.txt" "$WORK/bare.txt"
cp "$WORK/gateway2.txt" "$WORK/gateway.txt"
ratio=$(awk -v g="$gateway" -v b="$bare" 'BEGIN { printf "%.2f", g / b }')
report=$(cat <<REPORT
cache-hits ($MODE build, $(date -u +%Y-%m-%dT%H:%M:%SZ)); wrk -t2 -c32 -d${SECONDS_PER_RUN}s x3 alternating (medians), $(wc -c <"$WORK/body.json") byte answer
  bare responder:  $bare req/s   (round 2: p50 $(pct "$WORK/bare.txt" 50%)   p99 $(pct "$WORK/bare.txt" 99%))
  gateway hits:    $gateway req/s   (round 2: p50 $(pct "$WORK/gateway.txt" 50%)   p99 $(pct "$WORK/gateway.txt" 99%))
  gateway / bare:  $ratio   (goal >= 0.70)
REPORT
)
echo "$report" | tee Benchmarks/out/cache-hits.txt
awk -v r="$ratio" 'BEGIN { exit !(r >= 0.7) }'
