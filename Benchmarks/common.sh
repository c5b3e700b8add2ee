# Shared by Benchmarks/run.sh and Benchmarks/hit-profile.sh (sourced, not run): the benchmark's gateway
# config and small helpers. Everything listens on 127.0.0.1 only.

# The gateway key every benchmark request presents, and its hash, made once per run by `flowgate hash-key`.
bench_key() {
    local bin=$1 work=$2
    "$bin" hash-key >"$work/key.txt"
    KEY=$(awk '/^key:/ {print $2}' "$work/key.txt")
    KEY_HASH=$(awk '/^hash:/ {print $2}' "$work/key.txt")
}

# bench_config FILE GATEWAY_PORT CF_PORT [FANOUT_CF_PORT...]
# One tenant with one Cloudflare connection `cf` (the emulator at CF_PORT) and, per extra port, a
# Cloudflare connection `slowN` for the fan-out measurement. The limiter must not be what is measured:
# the key's inbound limit and every upstream bucket are raised far above what one machine can send
# (the limiter code still runs on every request, as it does in production). The instance read gets an
# hour's TTL so every request of a hit run is a hit.
bench_config() {
    local file=$1 gateway_port=$2 cf_port=$3
    shift 3
    cat >"$file" <<YAML
server:
  host: 127.0.0.1
  port: $gateway_port
  cursor_secret: bench-cursor-secret-not-for-production
  drain_timeout_s: 2
  upstream_pool_size: 64
tenants:
  - name: bench
    keys:
      - {id: bench, hash: "$KEY_HASH", scopes: [read, execute], rate: {per_second: 1000000, burst: 1000000}}
    connections:
      - name: cf
        provider: cloudflare
        base_url: http://127.0.0.1:$cf_port/client/v4
        account_id: demo0account
        credentials: {api_token: cf_demo_token_0000000000000000}
        limits: {default: {rate_per_s: 100000, burst: 1000000}}
        cache: {ttl_s: {get_instance: 3600}}
YAML
    local index=1
    for port in "$@"; do
        cat >>"$file" <<YAML
      - name: slow$index
        provider: cloudflare
        base_url: http://127.0.0.1:$port/client/v4
        account_id: demo0account
        credentials: {api_token: cf_demo_token_0000000000000000}
        limits: {default: {rate_per_s: 100000, burst: 1000000}}
YAML
        index=$((index + 1))
    done
}

# wait_http URL: up to 10 s for URL to answer at all.
wait_http() {
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "no answer from $1" >&2
    return 1
}

# The cached instance read and the Cloudflare-shaped list of the miss path, as gateway paths and as
# the emulator's own paths.
HIT_PATH=/v1/instances/cf:order-fulfillment:order-10230
MISS_PATH='/v1/instances?definition=cf:order-fulfillment&limit=10'
DIRECT_PATH='/client/v4/accounts/demo0account/workflows/order-fulfillment/instances?per_page=10'
CF_TOKEN=cf_demo_token_0000000000000000
