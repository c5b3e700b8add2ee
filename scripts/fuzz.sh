#!/usr/bin/env bash
# libFuzzer on the parsers that read untrusted bytes: canonical ids, cursors, query strings, request
# bodies, RFC 3339 filters and config YAML (Fuzz/Sources/FlowgateFuzz, one binary, one target per run).
#
#   scripts/fuzz.sh                        # every target, 20 s each (FUZZ_SECONDS)
#   scripts/fuzz.sh body query             # only these
#   FUZZ_SECONDS=600 scripts/fuzz.sh config
#
# The build adds the fuzz product to the package only while FLOWGATE_FUZZ=1 (Package.swift) and
# compiles Flowgate's own modules with `-sanitize=fuzzer,address` into the normal .build/debug: the
# dependencies are not rebuilt, Flowgate's modules are (and again by the next normal build).
# Each target starts from its committed seeds (Fuzz/Corpus/<target>/) plus what earlier local runs
# found (.build/fuzz/corpus/<target>/, not committed). A crash, a broken invariant, a leak or a timeout
# leaves the input in .build/fuzz/artifacts/ and fails the run: add it to Fuzz/Corpus/<target>/ and
# write a test in the normal suite that replays it. Exit status 1 if any target failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

seconds="${FUZZ_SECONDS:-20}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(canonical-id cursor query body timestamp config)
work=.build/fuzz
say() { echo "fuzz: $*" >&2; }

started=$(date +%s)
if ! FLOWGATE_FUZZ=1 swift build --product flowgate-fuzz >"$work.build.log" 2>&1; then
  grep -E "error|warning: .*Sources" "$work.build.log" >&2
  say "build failed (full log: $work.build.log)"
  exit 1
fi
if grep -E "^$(pwd)/(Sources|Fuzz)/.*: warning:" "$work.build.log" >&2; then
  say "warnings in Flowgate's own code or the fuzz targets: fix them"
  exit 1
fi
say "built .build/debug/flowgate-fuzz in $(($(date +%s) - started)) s"

failed=()
for target in "${targets[@]}"; do
  mkdir -p "$work/corpus/$target" "$work/artifacts"
  [ -d "Fuzz/Corpus/$target" ] || { say "no seeds in Fuzz/Corpus/$target"; failed+=("$target"); continue; }
  # Swift's own crash backtracer reads the stack in a way AddressSanitizer reports (and then hangs):
  # libFuzzer's handler reports crashes instead.
  if SWIFT_BACKTRACE=enable=no FLOWGATE_FUZZ_TARGET="$target" timeout --kill-after=10 $((seconds + 60)) \
    .build/debug/flowgate-fuzz -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
    -artifact_prefix="$work/artifacts/$target-" -print_final_stats=1 \
    "$work/corpus/$target" "Fuzz/Corpus/$target" >"$work/$target.log" 2>&1; then
    say "$target: $(grep -E '^stat::number_of_executed_units' "$work/$target.log" | awk '{print $2}') inputs in ${seconds} s, $(ls "$work/corpus/$target" | wc -l) in its local corpus, no failure"
  else
    failed+=("$target")
    grep -E "Fatal error|ERROR: |Test unit written|deadly signal|SUMMARY" "$work/$target.log" | head -n 8 >&2
    say "$target FAILED (log: $work/$target.log)"
  fi
done
say "total $(($(date +%s) - started)) s"
if [ ${#failed[@]} -gt 0 ]; then
  say "failed: ${failed[*]}"
  exit 1
fi
