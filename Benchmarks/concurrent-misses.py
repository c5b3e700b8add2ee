#!/usr/bin/env python3
"""Opens COUNT connections to a loopback gateway, and once all are open sends the same GET on every one
at the same moment: COUNT concurrent identical requests for a key nobody has read yet. Prints one JSON
object: how many answered 200, the X-Cache values seen, and the wall time.

Usage: concurrent-misses.py URL COUNT [--header 'Name: value']... [--timeout 30]
"""
import argparse
import asyncio
import collections
import json
import sys
import time
import urllib.parse


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("count", type=int)
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    url = urllib.parse.urlsplit(args.url)
    if url.hostname not in ("127.0.0.1", "localhost", "::1"):
        print("loopback only", file=sys.stderr)
        return 2
    target = url.path + (f"?{url.query}" if url.query else "")
    head = f"GET {target} HTTP/1.1\r\nHost: {url.hostname}:{url.port}\r\n"
    head += "".join(f"{h}\r\n" for h in args.header) + "Connection: close\r\n\r\n"

    # Connect in batches: the listen backlog is finite, and a refused SYN waits a second to retry.
    connections = []
    for start in range(0, args.count, 100):
        batch = [asyncio.open_connection(url.hostname, url.port) for _ in range(start, min(args.count, start + 100))]
        connections += await asyncio.gather(*batch)
    go = asyncio.Event()

    async def one(reader, writer):
        await go.wait()
        writer.write(head.encode())
        await writer.drain()
        data = await reader.read()
        writer.close()
        text = data.decode("latin-1")
        status = text.split(" ", 2)[1] if text.startswith("HTTP/") else "none"
        x_cache = next((line.split(":", 1)[1].strip() for line in text.split("\r\n") if line.lower().startswith("x-cache:")), "none")
        return status, x_cache

    tasks = [asyncio.create_task(one(reader, writer)) for reader, writer in connections]
    started = time.monotonic()
    go.set()
    results = await asyncio.wait_for(asyncio.gather(*tasks), timeout=args.timeout)
    elapsed = time.monotonic() - started
    statuses = collections.Counter(status for status, _ in results)
    caches = collections.Counter(x_cache for _, x_cache in results)
    print(json.dumps({"requests": len(results), "status": statuses, "x_cache": caches, "seconds": round(elapsed, 3)}))
    return 0 if statuses.get("200") == args.count else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
