#!/usr/bin/env python3
"""Sends exactly N GETs, one after another, on one keep-alive connection, and fails unless every
answer is 200 (and, with --expect-header, carries that header value). Used where a request count must
be exact, e.g. instructions per request under callgrind, which wrk's time-bounded runs cannot give.

With --timings, prints the median and 90th percentile time per request in milliseconds as JSON.

Usage: sequential-requests.py URL COUNT [--header 'Name: value']... [--expect-header 'X-Cache: HIT'] [--timings]
"""
import argparse
import http.client
import json
import statistics
import sys
import time
import urllib.parse


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("count", type=int)
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--expect-header", default=None)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--timings", action="store_true")
    args = parser.parse_args()

    url = urllib.parse.urlsplit(args.url)
    if url.hostname not in ("127.0.0.1", "localhost", "::1"):
        print("loopback only", file=sys.stderr)
        return 2
    headers = dict(h.split(": ", 1) for h in args.header)
    expected = args.expect_header.split(": ", 1) if args.expect_header else None
    target = url.path + (f"?{url.query}" if url.query else "")
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=args.timeout)
    times = []
    for index in range(args.count):
        started = time.monotonic()
        connection.request("GET", target, headers=headers)
        response = connection.getresponse()
        response.read()
        times.append((time.monotonic() - started) * 1000)
        if response.status != 200:
            print(f"request {index}: status {response.status}", file=sys.stderr)
            return 1
        if expected and response.getheader(expected[0]) != expected[1]:
            print(f"request {index}: {expected[0]} is {response.getheader(expected[0])}", file=sys.stderr)
            return 1
    connection.close()
    if args.timings:
        times.sort()
        p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
        print(json.dumps({"requests": len(times), "median_ms": round(statistics.median(times), 2), "p90_ms": round(p90, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
