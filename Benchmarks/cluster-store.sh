#!/usr/bin/env bash
# Cluster mode's per-request cost: the same requests through a gateway on the memory store and one on
# a PostgreSQL store (scripts/dev-postgres.sh, loopback), measured alternately in the same run.
#   miss: `Cache-Control: no-cache` reads of one Workingflow instance — each goes upstream through the
#         fleet-wide fill lease, the shared bucket and breaker, and writes the L2 cache;
#   hit:  the same read served from the cache (L1 in cluster mode).
# Reports requests/s and p50/p99 at 1 and 16 connections, and postgres / memory ratios.
#
# Usage: Benchmarks/cluster-store.sh [debug|release] [seconds per run]   (default: release, 5)
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-release}
SECONDS_PER_RUN=${2:-5}
export PATH=/opt/swift/usr/bin:$PATH
if ! command -v wrk >/dev/null; then
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
swift build -c "$MODE" --product flowgate >/dev/null 2>&1
BIN=$(swift build -c "$MODE" --show-bin-path)/flowgate
STORE_URL=$(scripts/dev-postgres.sh start)
mkdir -p Benchmarks/out
WORK=$(mktemp -d)
KEY=fgk_demo_local_only
cleanup() { kill "${MEM:-}" "${PG:-}" "${EMU:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

# Two gateways on the demo config, emulators on 1940x; limits raised so the bucket is not what is measured.
config() {
  sed -e "s/127.0.0.1:910\([1-4]\)/127.0.0.1:1940\1/" -e "s/^  port: 8080/  port: $1/" Config/demo.yaml >"$WORK/$2.yaml"
  sed -i "s|credentials: {api_key: wf_demo_0000000000000000}|credentials: {api_key: wf_demo_0000000000000000}\n        limits: {default: {rate_per_s: 100000, burst: 1000000}}\n        cache: {ttl_s: {get_instance: 3600}}|" "$WORK/$2.yaml"
  [ "$2" = memory ] || echo "store: \"$STORE_URL\"" >>"$WORK/$2.yaml"
  "$BIN" check-config "$WORK/$2.yaml" >/dev/null
}
config 18181 memory
config 18182 postgres
"$BIN" emulate --base-port 19401 >"$WORK/emulate.log" 2>&1 &
EMU=$!
# The gateways share core 1; wrk gets core 0; PostgreSQL and the emulator float.
taskset -c 1 "$BIN" serve --config "$WORK/memory.yaml" --log-level error >"$WORK/memory.log" 2>&1 &
MEM=$!
taskset -c 1 "$BIN" serve --config "$WORK/postgres.yaml" --log-level error >"$WORK/postgres.log" 2>&1 &
PG=$!
for port in 18181 18182; do
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
done
PATH_=/v1/instances/wf:50100
for port in 18181 18182; do curl -fs -H "Authorization: Bearer $KEY" "http://127.0.0.1:$port$PATH_" >/dev/null; done

run() { # kind connections port → wrk output file
  local extra=()
  [ "$1" = miss ] && extra=(-H "Cache-Control: no-cache")
  taskset -c 0 wrk -t1 -c"$2" -d"${SECONDS_PER_RUN}s" --latency -H "Authorization: Bearer $KEY" "${extra[@]}" \
    "http://127.0.0.1:$3$PATH_" >"$WORK/$1-$2-$3.txt"
}
for kind in miss hit; do
  for connections in 1 16; do
    run "$kind" "$connections" 18181
    run "$kind" "$connections" 18182
  done
done
grep -q "postgres" "$WORK/postgres.yaml"
grep -i "unreachable" "$WORK/postgres.log" && { echo "the postgres gateway fell back to local state: not a valid run" >&2; exit 1; }

python3 - "$WORK" "$MODE" "$SECONDS_PER_RUN" <<'PY' | tee Benchmarks/out/cluster-store.md
import re, sys, datetime
work, mode, seconds = sys.argv[1:4]
def parse(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    def pct(p):
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    return rps, pct(50), pct(99)
print(f"### Cluster store cost ({mode} build, {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, wrk -t1 pinned to core 0, gateways on core 1, {seconds} s per run)\n")
print("| request | connections | memory req/s | postgres req/s | postgres ÷ memory | memory p50 / p99 ms | postgres p50 / p99 ms | added p50 ms |")
print("|---|---|---|---|---|---|---|---|")
for kind in ("miss", "hit"):
    for connections in ("1", "16"):
        m = parse(f"{work}/{kind}-{connections}-18181.txt")
        p = parse(f"{work}/{kind}-{connections}-18182.txt")
        print(f"| {kind} | {connections} | {m[0]:.0f} | {p[0]:.0f} | {p[0] / m[0]:.2f} | {m[1]:.3f} / {m[2]:.3f} | {p[1]:.3f} / {p[2]:.3f} | {p[1] - m[1]:+.3f} |")
PY
