#!/usr/bin/env bash
# Instructions per cache hit (or per miss), counted by valgrind's callgrind: stable on a noisy shared
# machine where timings are not. The gateway runs under callgrind; after a warm-up the counters are
# zeroed, exactly COUNT requests are sent one after another on one keep-alive connection, and the total
# is divided by COUNT. The self cost per request by function (`support/self-cost.py`) goes to
# Benchmarks/out/hit-profile.txt (miss-profile.txt for misses, pass-profile.txt for the floor).
#
#   Benchmarks/hit-profile.sh [count] [hit|miss|pass]   (default 2000 hits; release build)
#   FLOWGATE_BIN=/path/to/flowgate Benchmarks/hit-profile.sh …   (profile that binary instead)
#
# `miss` sends the miss path of run.sh (a Cloudflare list with `Cache-Control: no-cache`: one upstream
# call, decoding, mapping, encoding); the emulator runs outside callgrind, so only the gateway counts.
# `pass` profiles the floor under that miss instead of the gateway: `bench-responder --proxy`, bare
# Hummingbird + AsyncHTTPClient making the same upstream call and answering its bytes unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-2000}
MODE=${2:-hit}
[[ $MODE == hit || $MODE == miss || $MODE == pass ]] || { echo "mode is hit, miss or pass" >&2; exit 2; }
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
if [[ $MODE == pass ]]; then
    swift build -c release --product bench-responder >/dev/null 2>&1
    PROFILED=.build/release/bench-responder
else
    PROFILED=$BIN
fi
mkdir -p Benchmarks/out
WORK=$(mktemp -d)
GW_PORT=18280
CF_BASE=19501
cleanup() { kill "${GW:-}" "${EMU:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

# valgrind 3.19 cannot read the DWARF 5 that swiftc writes, and crashes on dispatch_main's sigsuspend:
# profile a copy without debug info (symbols stay), with a preloaded sigsuspend that copies its mask.
objcopy --strip-debug "$PROFILED" "$WORK/profiled"
gcc -shared -fPIC -O2 -o "$WORK/sigsuspend.so" Benchmarks/support/valgrind-sigsuspend.c
bench_key "$BIN" "$WORK"
bench_config "$WORK/config.yaml" "$GW_PORT" $((CF_BASE + 3))
"$BIN" emulate --base-port "$CF_BASE" --cloudflare-unlimited --log-level error >"$WORK/emulate.log" 2>&1 &
EMU=$!
if [[ $MODE == pass ]]; then
    SERVED=(--port "$GW_PORT" --proxy "http://127.0.0.1:$((CF_BASE + 3))" --upstream-header "Authorization: Bearer $CF_TOKEN")
    READY=http://127.0.0.1:$GW_PORT$DIRECT_PATH
else
    SERVED=(serve --config "$WORK/config.yaml" --log-level error)
    READY=http://127.0.0.1:$GW_PORT/healthz
fi
LD_PRELOAD="$WORK/sigsuspend.so" valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" \
    "$WORK/profiled" "${SERVED[@]}" >"$WORK/serve.log" 2>&1 &
GW=$!
for _ in $(seq 1 600); do curl -fs "$READY" >/dev/null 2>&1 && break; sleep 0.1; done
if [[ $MODE == pass ]]; then
    URL=$READY
    HEADERS=()
    EXPECT="Content-Type: application/json; charset=utf-8"
elif [[ $MODE == hit ]]; then
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
python3 Benchmarks/support/self-cost.py "$DUMP" "$COUNT" 60 >"Benchmarks/out/$MODE-profile.txt"
cp "$DUMP" "Benchmarks/out/$MODE-profile.callgrind"
case $MODE in hit) PLURAL=hits ;; miss) PLURAL=misses ;; pass) PLURAL="pass-through calls" ;; esac
echo "$MODE-profile: $COUNT $PLURAL, $total instructions, $per per $MODE ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(git rev-parse --short HEAD))" \
    | tee -a "Benchmarks/out/$MODE-profile.txt"
