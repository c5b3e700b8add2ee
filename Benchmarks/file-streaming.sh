#!/usr/bin/env bash
# Streams the Workingflow emulator's 100 MiB file through the gateway and reports:
#   - the gateway's resident-memory growth during the download (target: < 20 MB), and
#   - its throughput as a ratio against the same download straight from the emulator (baseline,
#     measured in the same run, same machine).
# Gateway and emulators run as separate processes, so the figures are the gateway's alone.
#
# Usage: Benchmarks/file-streaming.sh [debug|release]   (default: release)
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-release}
export PATH=/opt/swift/usr/bin:$PATH
swift build -c "$MODE" --product flowgate >/dev/null
BIN=.build/$MODE/flowgate
OUT=Benchmarks/out
mkdir -p "$OUT"
WORK=$(mktemp -d)
EMU_BASE=19101
GW_PORT=18080
KEY=fgk_demo_local_only
FILE="e5b7a9d2_drone-survey.bin"

cleanup() { kill "${GW:-}" "${EMU:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

sed -e "s/127.0.0.1:9101/127.0.0.1:19101/; s/127.0.0.1:9102/127.0.0.1:19102/; s/127.0.0.1:9103/127.0.0.1:19103/; s/127.0.0.1:9104/127.0.0.1:19104/" \
    -e "s/^  port: 8080/  port: $GW_PORT/" Config/demo.yaml >"$WORK/config.yaml"
"$BIN" emulate --base-port "$EMU_BASE" >"$WORK/emulate.log" 2>&1 &
EMU=$!
"$BIN" serve --config "$WORK/config.yaml" >"$WORK/serve.log" 2>&1 &
GW=$!
for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$GW_PORT/readyz" >/dev/null 2>&1 && curl -fs "http://127.0.0.1:19102/processapi/list" -H "Authorization: Bearer wf_demo_0000000000000000" >/dev/null 2>&1 && break
    sleep 0.1
done

rss_kb() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }
# Warm-up: connections, pools and buffers a first download allocates either way.
curl -fs -H "Authorization: Bearer $KEY" "http://127.0.0.1:$GW_PORT/v1/instances/wf:50100/files/a3f8b2c1_receipt.pdf" -o /dev/null
before=$(rss_kb "$GW" VmRSS)
# Reset the high-water mark (Linux clear_refs 5), so VmHWM afterwards is the peak of this download alone.
echo 5 >"/proc/$GW/clear_refs"
gateway=$(curl -fs -H "Authorization: Bearer $KEY" -o /dev/null -w '%{size_download} %{time_total}' \
    "http://127.0.0.1:$GW_PORT/v1/instances/wf:50150/files/$FILE")
peak=$(rss_kb "$GW" VmHWM)
direct=$(curl -fs -H "Authorization: Bearer wf_demo_0000000000000000" -o /dev/null -w '%{size_download} %{time_total}' \
    "http://127.0.0.1:19102/processapi/50150/files/$FILE")

read -r gw_bytes gw_secs <<<"$gateway"
read -r direct_bytes direct_secs <<<"$direct"
growth_mb=$(awk -v a="$before" -v b="$peak" 'BEGIN { printf "%.1f", (b - a) / 1024 }')
report=$(cat <<REPORT
file-streaming ($MODE build, $(date -u +%Y-%m-%dT%H:%M:%SZ))
  bytes through gateway:   $gw_bytes (direct: $direct_bytes)
  gateway RSS before:      $((before / 1024)) MB
  gateway RSS peak:        $((peak / 1024)) MB
  RSS growth:              $growth_mb MB   (target < 20 MB)
  time via gateway:        ${gw_secs}s
  time direct (baseline):  ${direct_secs}s
  gateway / direct time:   $(awk -v g="$gw_secs" -v d="$direct_secs" 'BEGIN { printf "%.2f", g / d }')
REPORT
)
echo "$report" | tee "$OUT/file-streaming.txt"
[ "$gw_bytes" = "$direct_bytes" ] || { echo "byte counts differ" >&2; exit 1; }
awk -v g="$growth_mb" 'BEGIN { exit !(g < 20) }' || { echo "RSS grew by $growth_mb MB (>= 20 MB)" >&2; exit 1; }
