#!/usr/bin/env python3
"""Twice an upstream window's budget, offered for several windows, through one gateway or a fleet.

Drives GET /v1/instances/geo:<n> (a distinct id each, so every request is a cache miss that goes
upstream) open loop: Poisson arrivals at twice the budget's rate, sent round-robin to the given
gateways, whatever earlier requests are doing. Then reads, from the Geotareas emulator, when each
upstream read arrived, and from each gateway's metrics how many upstream calls it made and how many
the upstream refused.

Reported (Markdown, one table row plus details): admitted ÷ budget in the steady state (every full
60 s window after the first, aligned on the first call; target >= 0.95), the busiest 60 s window
anywhere (must be <= 30), upstream 429s (target 0), what callers saw, and the smallest spacing between
calls `limit` apart minus the window — the margin left after delivery jitter (negative means the
upstream saw more than its limit in some window).

Usage: window-overload.py LABEL GATEWAYS KEY EMULATOR SECONDS MARGIN_MS
  GATEWAYS  comma-separated base URLs (http://127.0.0.1:18301,...)
  EMULATOR  the Geotareas emulator's base URL
"""
import concurrent.futures
import json
import random
import re
import sys
import time
import urllib.error
import urllib.request

LIMIT, WINDOW = 30, 60.0
label, gateways, key, emulator, seconds, margin_ms = sys.argv[1], sys.argv[2].split(","), sys.argv[3], sys.argv[4], float(sys.argv[5]), int(sys.argv[6])
offered = 2 * LIMIT / WINDOW
READS = "/apidev/v1/workflow/instances"


def call(index):
    base = gateways[index % len(gateways)]
    request = urllib.request.Request(f"{base}/v1/instances/geo:{1_000_000 + index}", headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")
    except Exception as error:  # a refused or reset connection: counted as "other"
        return 0, str(error)


def upstream_statuses():
    """Upstream reads per status, summed over the gateways' metrics."""
    totals = {}
    for base in gateways:
        text = urllib.request.urlopen(f"{base}/metrics", timeout=5).read().decode()
        for line in text.splitlines():
            if line.startswith("flowgate_upstream_requests_total{") and 'operation="get_instance"' in line:
                status = re.search(r'status="([^"]+)"', line).group(1)
                totals[status] = totals.get(status, 0) + int(float(line.rsplit(" ", 1)[1]))
    return totals


def received_reads():
    items = json.loads(urllib.request.urlopen(f"{emulator}/_emulator/requests", timeout=10).read())
    return sorted(float(item["received_at"]) for item in items if item["method"] == "GET" and item["path"].startswith(READS))


random.seed(15)
arrivals, due = [], 0.0
while True:
    due += random.expovariate(offered)
    if due >= seconds:
        break
    arrivals.append(due)

results = [None] * len(arrivals)
start = time.monotonic()
load_started = time.time()
with concurrent.futures.ThreadPoolExecutor(max_workers=64) as pool:
    futures = {}
    for index, at in enumerate(arrivals):
        delay = start + at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        futures[pool.submit(call, index)] = index
    for future in concurrent.futures.as_completed(futures):
        results[futures[future]] = future.result()
load_ended = time.time()

times = received_reads()
statuses = upstream_statuses()
ok = sum(1 for status, _ in results if status == 404)  # an admitted read of a made-up id: Geotareas says 404
local_429 = sum(1 for status, body in results if status == 429 and '"upstream":null' in body)
upstream_429 = statuses.get("429", 0)
other = len(results) - ok - local_429 - sum(1 for status, body in results if status == 429 and '"upstream":null' not in body)

# The busiest window anywhere, closed at both ends (stricter than the upstream's own).
busiest, first = 0, 0
for last in range(len(times)):
    while times[last] - times[first] > WINDOW:
        first += 1
    busiest = max(busiest, last - first + 1)

# Windows aligned on the first upstream read; full ones only.
t0 = times[0] if times else load_started
windows = []
k = 0
while t0 + (k + 1) * WINDOW <= load_ended:
    windows.append(sum(1 for t in times if t0 + k * WINDOW <= t < t0 + (k + 1) * WINDOW))
    k += 1
steady = windows[1:]
steady_ratio = sum(steady) / (LIMIT * len(steady)) if steady else float("nan")
worst_steady = min(steady) if steady else None

# Calls `LIMIT` apart were scheduled one window + the margin apart when the later one waited for its slot.
slack = [times[n] - times[n - LIMIT] - WINDOW for n in range(LIMIT, len(times))]
min_slack_ms = min(slack) * 1000 if slack else float("nan")

print(
    f"| {label} | {margin_ms} | {seconds:.0f} s ({seconds / WINDOW:.1f} windows) | {offered * 60:.0f}/min ({len(arrivals)}) | {len(times)} | "
    f"{windows} | **{steady_ratio:.3f}** (worst {worst_steady}) | **{busiest}** | **{upstream_429}** | "
    f"{ok} ok, {local_429} local 429, {other} other | {min_slack_ms:.1f} |"
)
sys.stderr.write(json.dumps({"label": label, "upstream_statuses": statuses, "windows": windows, "busiest": busiest, "min_slack_ms": min_slack_ms}) + "\n")
sys.exit(0 if busiest <= LIMIT and upstream_429 == 0 else 1)
