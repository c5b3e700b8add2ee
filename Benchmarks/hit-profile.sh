#!/usr/bin/env bash
# Instructions per cache hit, counted by valgrind's callgrind: stable on a noisy shared machine where
# timings are not. The gateway runs under callgrind; after a warm-up the counters are zeroed, exactly
# COUNT hits are sent one after another on one keep-alive connection, and the total is divided by COUNT.
# The annotated profile (inclusive, by function) goes to Benchmarks/out/hit-profile.txt.
#
# Usage: Benchmarks/hit-profile.sh [count]   (default 2000; release build)
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-2000}
export PATH=/opt/swift/usr/bin:$PATH
command -v valgrind >/dev/null && command -v gcc >/dev/null || { echo "valgrind and gcc are needed (apt-get install valgrind gcc)" >&2; exit 1; }
source Benchmarks/common.sh
swift build -c release --product flowgate >/dev/null 2>&1
BIN=.build/release/flowgate
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
"$BIN" emulate --base-port "$CF_BASE" --log-level error >"$WORK/emulate.log" 2>&1 &
EMU=$!
LD_PRELOAD="$WORK/sigsuspend.so" valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" \
    "$WORK/flowgate" serve --config "$WORK/config.yaml" --log-level error >"$WORK/serve.log" 2>&1 &
GW=$!
for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$GW_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
URL="http://127.0.0.1:$GW_PORT$HIT_PATH"
python3 Benchmarks/sequential-requests.py "$URL" 300 --header "Authorization: Bearer $KEY"
python3 Benchmarks/sequential-requests.py "$URL" 1 --header "Authorization: Bearer $KEY" --expect-header "X-Cache: HIT"
callgrind_control --zero "$GW" >/dev/null
python3 Benchmarks/sequential-requests.py "$URL" "$COUNT" --header "Authorization: Bearer $KEY" --expect-header "X-Cache: HIT"
callgrind_control --dump=hits "$GW" >/dev/null
sleep 1
DUMP=$(ls -t "$WORK"/callgrind.out.* | head -1)
total=$(callgrind_annotate "$DUMP" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
per=$((total / COUNT))
# Exclusive cost by function, demangled: inclusive figures are unreliable across async suspension points.
callgrind_annotate --threshold=99 "$DUMP" 2>/dev/null | swift demangle --simplified | head -80 >Benchmarks/out/hit-profile.txt
cp "$DUMP" Benchmarks/out/hit-profile.callgrind
echo "hit-profile: $COUNT hits, $total instructions, $per per hit ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(git rev-parse --short HEAD))" \
    | tee -a Benchmarks/out/hit-profile.txt
