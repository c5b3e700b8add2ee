#!/usr/bin/env bash
# Schema fuzzing of the canonical API: schemathesis generates requests from Routes/openapi.yaml (valid
# ones and deliberately invalid ones) and sends them to `flowgate demo` (the gateway in front of the four
# upstream emulators, on loopback), then checks every answer against the same document.
#
#   scripts/fuzz-contract.sh                 # 60 examples per operation, all phases, seed 14
#   FUZZ_CONTRACT_EXAMPLES=300 FUZZ_CONTRACT_SEED=7 scripts/fuzz-contract.sh
#
# It fails (exit status 1) on any server error the gateway makes itself (500, a crash, a dropped
# connection), any answer the schema does not describe, any request the schema calls valid that the
# gateway rejects (400/413/414/422), and any request the schema calls invalid that the gateway serves.
# 501 NOT_SUPPORTED and the upstream-caused 502/503/504 (UPSTREAM_*) are documented answers and are
# counted, not failed (scripts/contract/hooks.py says exactly which).
#
# Needs python3 (with venv) and a built gateway: FLOWGATE_BIN (default .build/debug/flowgate; built
# with `swift build --product flowgate` when missing). schemathesis is installed from PyPI, pinned, in
# a virtualenv under .build/ (FUZZ_CONTRACT_VENV). Reports (JUnit, NDJSON events) go to
# .build/fuzz-contract/ (FUZZ_CONTRACT_OUT). Everything listens on 127.0.0.1, on ports picked free.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

schemathesis_version="4.32.5"
examples="${FUZZ_CONTRACT_EXAMPLES:-60}"
seed="${FUZZ_CONTRACT_SEED:-14}"
budget_s="${FUZZ_CONTRACT_TIMEOUT_S:-300}"
venv="${FUZZ_CONTRACT_VENV:-.build/contract-venv}"
out="${FUZZ_CONTRACT_OUT:-.build/fuzz-contract}"
bin="${FLOWGATE_BIN:-.build/debug/flowgate}"
key=fgk_demo_local_only   # the demo key Config/demo.yaml holds the hash of (public, loopback only)
say() { echo "fuzz-contract: $*" >&2; }

if [ ! -x "$bin" ]; then
  say "building $bin"
  swift build --product flowgate
fi

if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q " $schemathesis_version\$"; then
  say "installing schemathesis $schemathesis_version into $venv"
  python3 -m venv "$venv" || { say "python3 cannot make a virtualenv (Debian: apt-get install python3-venv)"; exit 1; }
  "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$schemathesis_version"
fi

rm -rf "$out" && mkdir -p "$out"
PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=scripts/contract "$venv/bin/python" scripts/contract/check_byte_exact.py Routes/openapi.yaml
# Five free loopback ports: the gateway's and one per emulator (closing the probe sockets first).
read -r gateway_port b24_port wf_port geo_port cf_port < <(python3 - <<'PY'
import socket
sockets = [socket.socket() for _ in range(5)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))
for s in sockets:
    s.close()
PY
)
# The demo config with those ports; everything else as shipped (tenant demo, key fgk_demo_local_only).
sed -e "s/^  port: 8080\$/  port: $gateway_port/" \
  -e "s#http://127.0.0.1:9101#http://127.0.0.1:$b24_port#" -e "s#http://127.0.0.1:9102#http://127.0.0.1:$wf_port#" \
  -e "s#http://127.0.0.1:9103#http://127.0.0.1:$geo_port#" -e "s#http://127.0.0.1:9104#http://127.0.0.1:$cf_port#" \
  Config/demo.yaml >"$out/demo.yaml"
for port in "$gateway_port" "$b24_port" "$wf_port" "$geo_port" "$cf_port"; do
  grep -qw "$port" "$out/demo.yaml" || { say "could not place port $port in $out/demo.yaml"; exit 1; }
done

"$bin" demo --config "$out/demo.yaml" --log-level warning >"$out/demo.log" 2>&1 &
demo_pid=$!
stop_demo() {
  kill "$demo_pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$demo_pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$demo_pid" 2>/dev/null || true
}
trap stop_demo EXIT

base="http://127.0.0.1:$gateway_port"
for attempt in $(seq 1 120); do
  if curl -fsS -o /dev/null "$base/readyz" 2>/dev/null; then break; fi
  if ! kill -0 "$demo_pid" 2>/dev/null; then say "the demo exited:"; cat "$out/demo.log" >&2; exit 1; fi
  [ "$attempt" = 120 ] && { say "the demo was not ready after 60 s"; cat "$out/demo.log" >&2; exit 1; }
  sleep 0.5
done
say "demo ready at $base; schemathesis $schemathesis_version, $examples examples per operation, seed $seed"

started=$(date +%s)
status=0
PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="scripts/contract${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=hooks FUZZ_CONTRACT_BASE="$base" FUZZ_CONTRACT_KEY="$key" \
  FUZZ_CONTRACT_SUMMARY="$out/documented-answers.txt" \
  timeout --kill-after=10 "$budget_s" "$venv/bin/schemathesis" --config-file scripts/contract/schemathesis.toml run Routes/openapi.yaml \
  --url "$base" --header "Authorization: Bearer $key" \
  --phases examples,coverage,fuzzing,stateful --max-examples "$examples" --seed "$seed" \
  --workers 2 --request-timeout 20 --no-color \
  --report junit,ndjson --report-dir "$out" || status=$?
say "schemathesis finished in $(($(date +%s) - started)) s with status $status"
if [ -s "$out/documented-answers.txt" ]; then
  say "documented answers counted, not failed (scripts/contract/hooks.py):"
  cat "$out/documented-answers.txt" >&2
fi

# A crash of the gateway is a failure whatever schemathesis concluded.
if ! kill -0 "$demo_pid" 2>/dev/null; then
  say "the demo process died during the run:"; tail -n 40 "$out/demo.log" >&2
  exit 1
fi
if grep -E "Fatal error|Program crashed|error:" "$out/demo.log" >&2; then
  say "the demo logged errors (above); full log: $out/demo.log"
  status=1
fi
exit "$status"
