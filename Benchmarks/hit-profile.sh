#!/usr/bin/env bash
# Instructions per cache hit (or per miss), counted by valgrind's callgrind: stable on a noisy shared
# machine where timings are not. The gateway runs under callgrind; after a warm-up the counters are
# zeroed, exactly COUNT requests are sent one after another on one keep-alive connection, and the total
# is divided by COUNT. The annotated profile (exclusive, by function) goes to
# Benchmarks/out/hit-profile.txt (miss-profile.txt for misses).
#
#   Benchmarks/hit-profile.sh [count] [hit|miss]   (default 2000 hits; release build)
#   FLOWGATE_BIN=/path/to/flowgate Benchmarks/hit-profile.sh …   (profile that binary instead)
#
# `miss` sends the miss path of run.sh (a Cloudflare list with `Cache-Control: no-cache`: one upstream
# call, decoding, mapping, encoding); the emulator runs outside callgrind, so only the gateway counts.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-2000}
MODE=${2:-hit}
[[ $MODE == hit || $MODE == miss ]] || { echo "mode is hit or miss" >&2; exit 2; }
export PATH=/opt/swift/usr/bin:$PATH
command -v valgrind >/dev/null && command -v gcc >/dev/null || { echo "valgrind and gcc are needed (apt-get install valgrind gcc)" >&2; exit 1; }
source Benchmarks/common.sh
# FLOWGATE_BIN profiles another build (e.g. one of main, for a before/after pair) instead of building.
if [[ -n ${FLOWGATE_BIN:-} ]]; then
    BIN=$FLOWGATE_BIN
else
    swift build -c release --product flowgate >/dev/null 2>&1
    BIN=.build/release/flowgate
fi
mkdir -p Benchmarks/out
WORK=$(mktemp -d)
GW_PORT=18280
CF_BASE=19501
cleanup() { kill "${GW:-}" "${EMU:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

# valgrind 3.19 cannot read the DWARF 5 that swiftc writes, and crashes on dispatch_main's sigsuspend:
# profile a copy without debug info (symbols stay), with a preloaded sigsuspend that copies its mask.
objcopy --strip-debug "$BIN" "$WORK/flowgate"
gcc -shared -fPIC -O2 -o "$WORK/sigsuspend.so" Benchmarks/support/valgrind-sigsuspend.c
bench_key "$BIN" "$WORK"
bench_config "$WORK/config.yaml" "$GW_PORT" $((CF_BASE + 3))
"$BIN" emulate --base-port "$CF_BASE" --cloudflare-unlimited --log-level error >"$WORK/emulate.log" 2>&1 &
EMU=$!
LD_PRELOAD="$WORK/sigsuspend.so" valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" \
    "$WORK/flowgate" serve --config "$WORK/config.yaml" --log-level error >"$WORK/serve.log" 2>&1 &
GW=$!
for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$GW_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
if [[ $MODE == hit ]]; then
    URL="http://127.0.0.1:$GW_PORT$HIT_PATH"
    HEADERS=(--header "Authorization: Bearer $KEY")
    EXPECT="X-Cache: HIT"
else
    URL="http://127.0.0.1:$GW_PORT$MISS_PATH"
    HEADERS=(--header "Authorization: Bearer $KEY" --header "Cache-Control: no-cache")
    EXPECT="X-Cache: BYPASS"
fi
python3 Benchmarks/sequential-requests.py "$URL" 300 "${HEADERS[@]}"
python3 Benchmarks/sequential-requests.py "$URL" 1 "${HEADERS[@]}" --expect-header "$EXPECT"
callgrind_control --zero "$GW" >/dev/null
python3 Benchmarks/sequential-requests.py "$URL" "$COUNT" "${HEADERS[@]}" --expect-header "$EXPECT"
callgrind_control --dump="$MODE" "$GW" >/dev/null
sleep 1
DUMP=$(ls -t "$WORK"/callgrind.out.* | head -1)
total=$(callgrind_annotate "$DUMP" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
per=$((total / COUNT))
# Exclusive cost by function, demangled: inclusive figures are unreliable across async suspension points.
callgrind_annotate --threshold=99 "$DUMP" 2>/dev/null | swift demangle --simplified | head -80 >"Benchmarks/out/$MODE-profile.txt"
cp "$DUMP" "Benchmarks/out/$MODE-profile.callgrind"
PLURAL=$([[ $MODE == hit ]] && echo hits || echo misses)
echo "$MODE-profile: $COUNT $PLURAL, $total instructions, $per per $MODE ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(git rev-parse --short HEAD))" \
    | tee -a "Benchmarks/out/$MODE-profile.txt"
