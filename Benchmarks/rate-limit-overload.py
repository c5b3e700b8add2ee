#!/usr/bin/env python3
"""Sustained 2x overload against one upstream bucket.

Drives GET /v1/instances/wf:50100 through the gateway at twice the bucket's configured rate for a
fixed time (open loop: requests are sent on schedule whether or not earlier ones have answered),
then reads how many upstream calls the gateway admitted from its own metrics.

Reported: the admitted upstream rate against the configured rate (target: <= 1.0 and >= 0.95),
and what callers saw (200 vs local 429). Run by Benchmarks/rate-limit-overload.sh.
"""
import concurrent.futures
import re
import sys
import time
import urllib.error
import urllib.request

base, key, rate, burst, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
offered = 2 * rate
url = f"{base}/v1/instances/wf:50100"


def upstream_calls():
    text = urllib.request.urlopen(f"{base}/metrics", timeout=5).read().decode()
    total = 0
    for line in text.splitlines():
        if line.startswith("flowgate_upstream_requests_total{") and 'connection="wf"' in line and 'operation="get_instance"' in line:
            total += int(float(line.rsplit(" ", 1)[1]))
    return total


def call():
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except Exception:
        return 0


before = upstream_calls()
statuses = []
start = time.monotonic()
count = int(offered * seconds)
with concurrent.futures.ThreadPoolExecutor(max_workers=128) as pool:
    futures = []
    for index in range(count):
        due = start + index / offered
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        futures.append(pool.submit(call))
    for future in futures:
        statuses.append(future.result())
elapsed = time.monotonic() - start
admitted = upstream_calls() - before
# The bucket starts full: its burst goes through at once, the rest at the configured rate.
steady = (admitted - burst) / seconds
ratio = steady / rate
print(f"rate-limit-overload ({time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())})")
print(f"  configured bucket:        {rate:g}/s, burst {burst}")
print(f"  offered:                  {offered:g}/s for {seconds:g} s ({count} requests, {elapsed:.1f} s to answer all)")
print(f"  answers:                  {statuses.count(200)} x 200, {statuses.count(429)} x 429, {len(statuses) - statuses.count(200) - statuses.count(429)} other")
print(f"  upstream calls admitted:  {admitted} ({steady:.2f}/s after the burst)")
print(f"  admitted / configured:    {ratio:.3f}   (target 0.95 .. 1.00)")
sys.exit(0 if 0.95 <= ratio <= 1.0 + 1e-9 and statuses.count(200) == admitted else 1)
