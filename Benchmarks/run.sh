#!/usr/bin/env bash
# Flowgate against nginx and a direct upstream, on one machine, in one run (issue 7). Builds the
# release binary, starts everything on 127.0.0.1, measures with wrk, and writes Benchmarks/RESULTS.md.
#
#   Benchmarks/run.sh [seconds per wrk run] [rounds]      (default 5 s, 3 rounds; about 6 minutes)
#   NOTE="quiet machine, nothing else running" Benchmarks/run.sh    (NOTE goes into RESULTS.md)
#
# Servers run on CPU 1 and wrk (one thread) on CPU 0, both pinned with taskset, so the load generator
# does not take the server's core. Every load run is bounded in time; nothing leaves loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-5}
ROUNDS=${2:-3}
export PATH=/opt/swift/usr/bin:$PATH
SERVER_CPU=1
LOAD_CPU=0
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
    apt-get update >/dev/null && apt-get install -y wrk nginx >/dev/null
fi
source Benchmarks/common.sh
swift build -c release --product flowgate >/dev/null 2>&1
swift build -c release --product bench-responder >/dev/null 2>&1
BIN=$PWD/.build/release/flowgate
mkdir -p Benchmarks/out
WORK=$(mktemp -d)
OUT=Benchmarks/out/run
rm -rf "$OUT" && mkdir -p "$OUT"
# 10 000 client sockets in one process and 10 000 accepted ones in the gateway.
ulimit -n "$(ulimit -Hn)"

GW_PORT=18380
EMU_BASE=19601            # the four emulators of `flowgate emulate`; Cloudflare is base + 3
SLOW_BASES=(19611 19621 19631 19641)
SLOW_MS=(20 40 60 80)     # injected latency of the fan-out's four connections
NGINX_STATIC=18390
NGINX_PROXY=18391
NGINX_CACHE=18392
BARE_PORT=18393
PASS_PORT=18395           # bare Hummingbird + AsyncHTTPClient passing each GET to the emulator
NIO_PORT=18396            # bare SwiftNIO answering the same bytes, no Swift task per connection
GW2_PORT=18394            # a second gateway, unpinned: the two-core row
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
# exec, so that the PID of `on_server … &` is the server itself and cleanup can stop it.
on_server() { exec taskset -c "$SERVER_CPU" "$@"; }

# --- upstreams and gateway -------------------------------------------------------------------------
on_server "$BIN" emulate --base-port "$EMU_BASE" --cloudflare-unlimited --log-level error >"$WORK/emulate.log" 2>&1 &
EMU=$!
PIDS+=("$EMU")
SLOW_CF_PORTS=()
for base in "${SLOW_BASES[@]}"; do
    on_server "$BIN" emulate --base-port "$base" --cloudflare-unlimited --log-level error >>"$WORK/emulate-slow.log" 2>&1 &
    PIDS+=($!)
    SLOW_CF_PORTS+=($((base + 3)))
done
bench_key "$BIN" "$WORK"
bench_config "$WORK/config.yaml" "$GW_PORT" $((EMU_BASE + 3)) "${SLOW_CF_PORTS[@]}"
# The access log is an info line per request: run at error level, as nginx runs with access_log off.
on_server "$BIN" serve --config "$WORK/config.yaml" --log-level error >"$WORK/serve.log" 2>&1 &
GW=$!
PIDS+=("$GW")
wait_http "http://127.0.0.1:$GW_PORT/healthz"
for port in $((EMU_BASE + 3)) "${SLOW_CF_PORTS[@]}"; do wait_http "http://127.0.0.1:$port/_emulator/faults"; done
AUTH="Authorization: Bearer $KEY"
GW_URL=http://127.0.0.1:$GW_PORT
# The cached answer: read once (miss), then it must be a hit. Its bytes are what nginx and the bare
# responder serve, so every hit row sends the same body.
mkdir -p "$WORK/www"
curl -fs -H "$AUTH" "$GW_URL$HIT_PATH" -o /dev/null
curl -fs -D "$WORK/hit.head" -H "$AUTH" "$GW_URL$HIT_PATH" -o "$WORK/www/hit.json"
grep -qi '^x-cache: HIT' "$WORK/hit.head" || { echo "the gateway's second read was not a cache hit" >&2; exit 1; }
BODY_BYTES=$(wc -c <"$WORK/www/hit.json")

# --- nginx: static upstream, proxy_pass, proxy_cache (one worker, on the server CPU) ---------------
mkdir -p "$WORK/nginx/cache" "$WORK/nginx/tmp"
cat >"$WORK/nginx/nginx.conf" <<NGINX
daemon off;
master_process off;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log error;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/tmp/body;
    proxy_temp_path $WORK/nginx/tmp/proxy;
    fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
    scgi_temp_path $WORK/nginx/tmp/scgi;
    keepalive_requests 1000000;
    proxy_cache_path $WORK/nginx/cache keys_zone=answers:10m max_size=64m;
    upstream static_json {
        server 127.0.0.1:$NGINX_STATIC;
        keepalive 64;
    }
    # The upstream: the gateway's cached answer as a static file, same bytes and content type.
    server {
        listen 127.0.0.1:$NGINX_STATIC;
        location / {
            root $WORK/www;
            default_type application/json;
            charset utf-8;
            charset_types application/json;
            try_files /hit.json =404;
        }
    }
    # A real proxy's floor: keep-alive to the upstream and a credential injected on every request.
    server {
        listen 127.0.0.1:$NGINX_PROXY;
        location / {
            proxy_pass http://static_json;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Authorization "Bearer upstream-credential";
        }
    }
    # The same proxy with a cache in front, keyed per caller like the gateway's per-tenant keys.
    server {
        listen 127.0.0.1:$NGINX_CACHE;
        location / {
            proxy_pass http://static_json;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Authorization "Bearer upstream-credential";
            proxy_cache answers;
            proxy_cache_key \$http_authorization\$request_uri;
            proxy_cache_valid 200 1h;
            add_header X-Cache \$upstream_cache_status;
        }
    }
}
NGINX
on_server nginx -c "$WORK/nginx/nginx.conf" >"$WORK/nginx/stdout.log" 2>&1 &
NGINX=$!
PIDS+=("$NGINX")
wait_http "http://127.0.0.1:$NGINX_STATIC/"
curl -fs -H "$AUTH" "http://127.0.0.1:$NGINX_CACHE$HIT_PATH" -o /dev/null
curl -fs -D - -o /dev/null -H "$AUTH" "http://127.0.0.1:$NGINX_CACHE$HIT_PATH" | grep -qi '^x-cache: HIT' \
    || { echo "nginx proxy_cache did not hit" >&2; exit 1; }
on_server "$PWD/.build/release/bench-responder" --port "$BARE_PORT" --body "$WORK/www/hit.json" >/dev/null 2>&1 &
BARE=$!
PIDS+=("$BARE")
wait_http "http://127.0.0.1:$BARE_PORT/x"
# The floors of the stack, measured in this run: a miss's upstream call through Hummingbird and
# AsyncHTTPClient with nothing of the gateway (row 7), and an idle connection below Hummingbird.
on_server "$PWD/.build/release/bench-responder" --port "$PASS_PORT" --proxy "http://127.0.0.1:$((EMU_BASE + 3))" \
    --upstream-header "Authorization: Bearer $CF_TOKEN" >/dev/null 2>&1 &
PASS=$!
PIDS+=("$PASS")
wait_http "http://127.0.0.1:$PASS_PORT$DIRECT_PATH"
on_server "$PWD/.build/release/bench-responder" --port "$NIO_PORT" --nio --body "$WORK/www/hit.json" >/dev/null 2>&1 &
NIO=$!
PIDS+=("$NIO")
wait_http "http://127.0.0.1:$NIO_PORT/x"

# --- throughput and latency ------------------------------------------------------------------------
# name|url|extra header (the key is sent to every target, so every request carries the same bytes)
TARGETS=(
    "direct|http://127.0.0.1:$NGINX_STATIC$HIT_PATH|"
    "nginx_proxy|http://127.0.0.1:$NGINX_PROXY$HIT_PATH|"
    "nginx_cache|http://127.0.0.1:$NGINX_CACHE$HIT_PATH|"
    "flowgate_hit|$GW_URL$HIT_PATH|"
    "bare|http://127.0.0.1:$BARE_PORT$HIT_PATH|"
    "emulator|http://127.0.0.1:$((EMU_BASE + 3))$DIRECT_PATH|cf"
    "flowgate_miss|$GW_URL$MISS_PATH|Cache-Control: no-cache"
    "pass|http://127.0.0.1:$PASS_PORT$DIRECT_PATH|"
)
wrk_run() { # name connections url extra round
    local headers=(-H "$AUTH")
    [[ $4 == cf ]] && headers=(-H "Authorization: Bearer $CF_TOKEN")
    [[ -n $4 && $4 != cf ]] && headers+=(-H "$4")
    taskset -c "$LOAD_CPU" wrk -t1 -c"$2" -d"${SECONDS_PER_RUN}s" --timeout 5s --latency "${headers[@]}" "$3" >"$OUT/$1-c$2-r$5.txt"
}
# Warm-up (JIT-free, but caches, pools and page cache), then alternating rounds so a noisy neighbour
# hurts every target alike; medians are reported.
for target in "${TARGETS[@]}"; do
    IFS='|' read -r name url extra <<<"$target"
    SECONDS_PER_RUN=1 wrk_run "$name" 16 "$url" "$extra" warm
done
for round in $(seq 1 "$ROUNDS"); do
    for target in "${TARGETS[@]}"; do
        IFS='|' read -r name url extra <<<"$target"
        for connections in 1 64; do wrk_run "$name" "$connections" "$url" "$extra" "$round"; done
    done
done
rss_mib() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
declare -A RSS=([direct]=$(rss_mib "$NGINX") [nginx_proxy]=$(rss_mib "$NGINX") [nginx_cache]=$(rss_mib "$NGINX")
    [flowgate_hit]=$(rss_mib "$GW") [flowgate_miss]=$(rss_mib "$GW") [bare]=$(rss_mib "$BARE") [emulator]=$(rss_mib "$EMU") [pass]=$(rss_mib "$PASS"))

# wrk's latency percentiles in ms; requests/s; non-2xx and socket errors (a run with any is flagged).
to_ms() { awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; printf "%.3f\n", v }'; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$1" | to_ms; }
rps() { awk '/^Requests\/sec/ {print $2}' "$1"; }
errors() { awk '/Non-2xx|Socket errors/ {found = 1} END {print found ? "yes" : "no"}' "$1"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
stat() { # name connections statistic → median over rounds
    for round in $(seq 1 "$ROUNDS"); do
        local file="$OUT/$1-c$2-r$round.txt"
        case $3 in rps) rps "$file" ;; p50) pct "$file" 50% ;; p99) pct "$file" 99% ;; esac
    done | median
}
any_errors() { cat "$OUT/$1"-c*-r[0-9]*.txt | errors /dev/stdin; }

# --- both CPUs given to the gateway -----------------------------------------------------------------
# A second gateway started without taskset, so its event loops are one per CPU (NIO counts the CPUs
# the process may run on); wrk (two threads) shares the same two CPUs: with only two, there is no third
# for the load generator, so this row is a floor of what two cores give, not a clean scaling figure.
bench_config "$WORK/config2.yaml" "$GW2_PORT" $((EMU_BASE + 3))
"$BIN" serve --config "$WORK/config2.yaml" --log-level error >"$WORK/serve2.log" 2>&1 &
GW2=$!
PIDS+=("$GW2")
wait_http "http://127.0.0.1:$GW2_PORT/healthz"
curl -fs -H "$AUTH" "http://127.0.0.1:$GW2_PORT$HIT_PATH" -o /dev/null
wrk -t2 -c64 -d1s --timeout 5s -H "$AUTH" "http://127.0.0.1:$GW2_PORT$HIT_PATH" >/dev/null
for round in $(seq 1 "$ROUNDS"); do
    wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" --timeout 5s --latency -H "$AUTH" "http://127.0.0.1:$GW2_PORT$HIT_PATH" \
        >"$OUT/flowgate_hit_2cpu-c64-r$round.txt"
done
kill "$GW2" 2>/dev/null || true

# --- 1000 concurrent identical misses --------------------------------------------------------------
upstream_calls() { curl -fs "$GW_URL/metrics" | awk '/^flowgate_upstream_requests_total\{/ && /connection="cf"/ { n += $NF } END { print n + 0 }'; }
COLD_PATH=/v1/instances/cf:order-fulfillment:order-10231
CF=http://127.0.0.1:$((EMU_BASE + 3))
curl -fs -X DELETE "$CF/_emulator/requests" >/dev/null
# The one upstream read takes 300 ms, so all 1000 callers arrive while it is in flight.
curl -fs -X POST "$CF/_emulator/faults" -d '{"kind":"latency","ms":300,"count":1}' >/dev/null
before=$(upstream_calls)
COALESCE=$(timeout 60 python3 Benchmarks/concurrent-misses.py "$GW_URL$COLD_PATH" 1000 --header "$AUTH" || true)
COALESCE_GATEWAY=$(( $(upstream_calls) - before ))
COALESCE_EMULATOR=$(curl -fs "$CF/_emulator/requests" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
curl -fs -X DELETE "$CF/_emulator/faults" >/dev/null

# --- fan-out over four slow connections against the slowest alone ----------------------------------
for index in 0 1 2 3; do
    curl -fs -X POST "http://127.0.0.1:${SLOW_CF_PORTS[$index]}/_emulator/faults" -d "{\"kind\":\"latency\",\"ms\":${SLOW_MS[$index]}}" >/dev/null
done
FANOUT_ALL="$GW_URL/v1/instances?connection=slow1&connection=slow2&connection=slow3&connection=slow4&limit=10"
FANOUT_ONE="$GW_URL/v1/instances?connection=slow4&limit=10"
timeout 30 python3 Benchmarks/sequential-requests.py "$FANOUT_ALL" 2 --header "$AUTH" --header "Cache-Control: no-cache" >/dev/null
FAN_ALL=$(timeout 60 python3 Benchmarks/sequential-requests.py "$FANOUT_ALL" 20 --header "$AUTH" --header "Cache-Control: no-cache" --timings)
FAN_ONE=$(timeout 60 python3 Benchmarks/sequential-requests.py "$FANOUT_ONE" 20 --header "$AUTH" --header "Cache-Control: no-cache" --timings)
per_conn() { python3 -c "import json, sys; d = json.loads(sys.argv[1]); print(f\"{(d['rss_with_kib'] - d['rss_before_kib']) / d['connections']:.1f}\")" "$1"; }
json() { python3 -c "import json, sys; print(json.loads(sys.argv[1])$2)" "$1"; }

# --- cluster mode: PostgreSQL store against memory store (CLUSTER=0 skips it; before the idle test, --
# whose 10 000 closed connections perturb the next minute of loopback traffic) ----------------------
if [[ ${CLUSTER:-1} == 1 ]]; then
    Benchmarks/cluster-store.sh release "$SECONDS_PER_RUN" >/dev/null && cp Benchmarks/out/cluster-store.md "$OUT/cluster-store.md" \
        || echo "cluster-store.sh failed: RESULTS.md goes without the cluster section" >&2
fi

# --- 10 000 idle keep-alive connections --------------------------------------------------------------
CACHE_BYTES=$(curl -fs "$GW_URL/metrics" | awk '/^flowgate_cache_bytes / {printf "%d", $2}')
IDLE=$(timeout 180 python3 Benchmarks/idle-connections.py "$GW_URL/healthz" 10000 "$GW")
# The same against the bare Hummingbird responder: what the HTTP stack itself holds per connection.
IDLE_BARE=$(timeout 180 python3 Benchmarks/idle-connections.py "http://127.0.0.1:$BARE_PORT/x" 10000 "$BARE")
# And against SwiftNIO alone: what a connection costs without a Swift task per connection.
IDLE_NIO=$(timeout 180 python3 Benchmarks/idle-connections.py "http://127.0.0.1:$NIO_PORT/x" 10000 "$NIO")

# --- RESULTS.md --------------------------------------------------------------------------------------
label() {
    case $1 in
        direct) echo "1. upstream directly (nginx static file)" ;;
        nginx_proxy) echo "2. nginx proxy_pass, keep-alive, injected Authorization" ;;
        nginx_cache) echo "3. nginx proxy_cache hit" ;;
        flowgate_hit) echo "4. Flowgate cache hit" ;;
        flowgate_miss) echo "5. Flowgate miss (Cache-Control: no-cache), Cloudflare list" ;;
        bare) echo "6. bare Hummingbird responder, same bytes" ;;
        emulator) echo "5'. Cloudflare emulator directly, same list (baseline of 5)" ;;
        pass) echo "7. bare Hummingbird + AsyncHTTPClient passing 5' through unchanged (floor of 5)" ;;
    esac
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }
meets() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == ">=") ? v >= t : v <= t; print ok ? "**met**" : "**not met**" }'; }
HIT_NGINX=$(ratio "$(stat flowgate_hit 64 rps)" "$(stat nginx_cache 64 rps)")
HIT_NGINX_1=$(ratio "$(stat flowgate_hit 1 rps)" "$(stat nginx_cache 1 rps)")
HIT_BARE=$(ratio "$(stat flowgate_hit 64 rps)" "$(stat bare 64 rps)")
HIT_BARE_1=$(ratio "$(stat flowgate_hit 1 rps)" "$(stat bare 1 rps)")
HIT_2CPU=$(stat flowgate_hit_2cpu 64 rps)
HIT_SCALING=$(ratio "$HIT_2CPU" "$(stat flowgate_hit 64 rps)")
MISS_ADDED=$(minus "$(stat flowgate_miss 1 p50)" "$(stat emulator 1 p50)")
MISS_ADDED_P99=$(minus "$(stat flowgate_miss 1 p99)" "$(stat emulator 1 p99)")
PASS_ADDED=$(minus "$(stat pass 1 p50)" "$(stat emulator 1 p50)")
IDLE_RSS=$(json "$IDLE" "['rss_with_kib']")
IDLE_BEFORE=$(json "$IDLE" "['rss_before_kib']")
IDLE_MIB=$(awk -v k="$IDLE_RSS" -v c="$CACHE_BYTES" 'BEGIN { printf "%.1f", (k * 1024 - c) / 1048576 }')
{
    echo "# Benchmarks: Flowgate against nginx and a direct upstream"
    echo
    echo "Written by \`Benchmarks/run.sh $SECONDS_PER_RUN $ROUNDS\` on $(date -u +%Y-%m-%d) at commit $(git rev-parse --short HEAD) — do not edit by hand; re-run it."
    echo
    echo "- **Machine**: $(nproc) CPUs ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr); nginx $(nginx -v 2>&1 | sed 's|.*/||'), $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}'), Swift $(swift --version 2>/dev/null | awk '/Swift version/ {print $3; exit}')."
    echo "- **Conditions**: ${NOTE:-not stated (set NOTE=... when running)}."
    echo "- **Method**: every server on CPU $SERVER_CPU and wrk (1 thread) on CPU $LOAD_CPU, both pinned with \`taskset\`; loopback only; HTTP/1.1 keep-alive."
    echo "  Each row: $ROUNDS rounds of ${SECONDS_PER_RUN} s per connection count, rounds alternating between targets after a 1 s warm-up each; the table gives medians over rounds."
    echo "  Latency is wrk's (p50/p99 of its samples). RSS is VmRSS after all load; nginx runs as one process (\`master_process off\`, one worker) serving rows 1–3, so its figure covers all three."
    echo "- **Bodies**: rows 1–4 and 6 answer the same $BODY_BYTES bytes (the gateway's cached answer to \`GET $HIT_PATH\`, captured once and served by nginx and the bare responder); every request carries the gateway key."
    echo "  Row 5 is \`GET $MISS_PATH\` with \`Cache-Control: no-cache\`: one upstream call to the Cloudflare emulator, translated to the canonical list; row 5' is that upstream call sent straight to the emulator; row 7 is the same call made through \`bench-responder --proxy\` (bare Hummingbird, AsyncHTTPClient on the same event loops without redirects or decompression, as the gateway uses it; the upstream's bytes answered unchanged: no auth, cache, limits, JSON or metrics), the floor under row 5 of the stack the gateway is built on."
    echo "- **Limiters out of the way**: the key has an inbound limit of 1 000 000/s (burst 1 000 000) so the limiter code still runs on every request; every upstream bucket is raised to 100 000/s; the Cloudflare emulators run with \`--cloudflare-unlimited\` (no 1200/5 min token limit). The gateway runs with \`--log-level error\` (no access line per request), as nginx runs with \`access_log off\`."
    echo
    echo "| target | req/s c=1 | p50 ms c=1 | p99 ms c=1 | req/s c=64 | p50 ms c=64 | p99 ms c=64 | RSS MiB | errors |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
    for name in direct nginx_proxy nginx_cache flowgate_hit flowgate_miss bare emulator pass; do
        echo "| $(label $name) | $(stat $name 1 rps) | $(stat $name 1 p50) | $(stat $name 1 p99) | $(stat $name 64 rps) | $(stat $name 64 p50) | $(stat $name 64 p99) | ${RSS[$name]} | $(any_errors $name) |"
    done
    echo
    echo "## Ratios"
    echo
    echo "| ratio | c=1 | c=64 |"
    echo "|---|---:|---:|"
    echo "| Flowgate hit ÷ nginx proxy_cache hit (req/s) | $HIT_NGINX_1 | $HIT_NGINX |"
    echo "| Flowgate hit ÷ bare Hummingbird (req/s) | $HIT_BARE_1 | $HIT_BARE |"
    echo "| Flowgate hit, both CPUs (wrk sharing them: $HIT_2CPU req/s) ÷ one CPU (req/s) | | $HIT_SCALING |"
    echo "| Flowgate miss − direct upstream, p50 latency (ms) | $MISS_ADDED | $(minus "$(stat flowgate_miss 64 p50)" "$(stat emulator 64 p50)") |"
    echo "| Flowgate miss − direct upstream, p99 latency (ms) | $MISS_ADDED_P99 | $(minus "$(stat flowgate_miss 64 p99)" "$(stat emulator 64 p99)") |"
    # At 64 connections the pass-through has neither the gateway's single flight nor its pool size
    # (64 callers queue for AsyncHTTPClient's default 8 connections): a floor only at one connection.
    echo "| floor: Hummingbird + AsyncHTTPClient pass-through − direct upstream, p50 (ms) | $PASS_ADDED | |"
    echo "| Flowgate miss − that floor, p50 (ms): the gateway's own share | $(minus "$(stat flowgate_miss 1 p50)" "$(stat pass 1 p50)") | |"
    echo
    echo "## Other measurements"
    echo
    echo "- **1000 concurrent identical misses** (a cold key, all 1000 connections open before any request is sent, the one upstream read held 300 ms by an injected latency): upstream calls counted by the gateway (\`flowgate_upstream_requests_total\`) **$COALESCE_GATEWAY**, received by the emulator **$COALESCE_EMULATOR**; answers: \`$COALESCE\`."
    echo "- **Fan-out over four slow connections** (Cloudflare emulators with ${SLOW_MS[*]} ms injected per upstream call; a connection-wide list reads the workflow list, then each workflow's instances, so two calls in sequence; 20 sequential requests, no-cache): all four median $(json "$FAN_ALL" "['median_ms']") ms (p90 $(json "$FAN_ALL" "['p90_ms']")), the slowest alone median $(json "$FAN_ONE" "['median_ms']") ms (p90 $(json "$FAN_ONE" "['p90_ms']")): the fan-out costs $(minus "$(json "$FAN_ALL" "['median_ms']")" "$(json "$FAN_ONE" "['median_ms']")") ms over its slowest connection."
    echo "- **10 000 idle keep-alive connections** (each served one \`GET /healthz\`, then left open): gateway VmRSS $(awk -v k="$IDLE_BEFORE" 'BEGIN { printf "%.1f", k / 1024 }') MiB before, $(awk -v k="$IDLE_RSS" 'BEGIN { printf "%.1f", k / 1024 }') MiB with them open; minus the $CACHE_BYTES bytes of cached answers: **$IDLE_MIB MiB**. \`$IDLE\` The bare Hummingbird responder under the same 10 000 connections: \`$IDLE_BARE\` — per idle connection the gateway holds $(per_conn "$IDLE") KiB, the bare HTTP stack $(per_conn "$IDLE_BARE") KiB. SwiftNIO alone (no Swift task per connection, same receive buffers): \`$IDLE_NIO\` — $(per_conn "$IDLE_NIO") KiB per connection."
    echo
    echo "## Targets"
    echo
    echo "| target | measured | |"
    echo "|---|---|---|"
    echo "| Flowgate hit ≥ 0.8× nginx proxy_cache hit (req/s, c=64) | $HIT_NGINX× | $(meets "$HIT_NGINX" 0.8 ">=") |"
    echo "| Flowgate hit ≥ 1.5× bare Hummingbird (req/s, c=64) | $HIT_BARE× | $(meets "$HIT_BARE" 1.5 ">=") |"
    echo "| Miss path p50 added latency ≤ 0.3 ms at 1 connection | $MISS_ADDED ms (the stack's floor, row 7: $PASS_ADDED ms) | $(meets "$MISS_ADDED" 0.3 "<=") |"
    echo "| RSS ≤ 100 MiB with 10 000 idle connections, excluding cache bytes | $IDLE_MIB MiB (floors per connection: Hummingbird $(per_conn "$IDLE_BARE") KiB, SwiftNIO $(per_conn "$IDLE_NIO") KiB) | $(meets "$IDLE_MIB" 100 "<=") |"
    echo "| Both CPUs ≥ 1.8× one CPU, cache hits (c=64; wrk shares the two CPUs) | $HIT_SCALING× | $(meets "$HIT_SCALING" 1.8 ">=") |"
    echo "| 1000 concurrent identical misses → 1 upstream call | $COALESCE_GATEWAY | $(meets "$COALESCE_GATEWAY" 1 "<=") |"
    if [[ -f "$OUT/cluster-store.md" ]]; then
        echo
        echo "## Cluster mode: the PostgreSQL store against the memory store"
        echo
        echo "\`Benchmarks/cluster-store.sh\`: two gateways on the same config, one with \`store: memory\`, one on a loopback PostgreSQL (\`scripts/dev-postgres.sh\`, fsync off); a Workingflow instance read, as a miss (\`Cache-Control: no-cache\`: fill lease, shared bucket and breaker, L2 write) and as a hit (L1)."
        echo
        sed -n '2,$p' "$OUT/cluster-store.md"
    fi
    if [[ -f Benchmarks/RESULTS-notes.md ]]; then
        echo
        cat Benchmarks/RESULTS-notes.md
    fi
} >Benchmarks/RESULTS.md
cp Benchmarks/RESULTS.md "$OUT/RESULTS.md"
cat Benchmarks/RESULTS.md
