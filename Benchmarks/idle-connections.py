#!/usr/bin/env python3
"""Opens COUNT keep-alive connections to a loopback server, sends one GET on each and reads its answer,
so every connection has served a request and now sits idle, then prints the server's resident memory
(VmRSS of PID, from /proc) before and with the connections open, as one JSON object. The connections
are closed on exit. Needs `ulimit -n` above COUNT for this process and the server.

Usage: idle-connections.py URL COUNT PID
"""
import json
import selectors
import socket
import sys
import time
import urllib.parse


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def main() -> int:
    url = urllib.parse.urlsplit(sys.argv[1])
    count, pid = int(sys.argv[2]), int(sys.argv[3])
    if url.hostname not in ("127.0.0.1", "localhost"):
        print("loopback only", file=sys.stderr)
        return 2
    request = f"GET {url.path or '/'} HTTP/1.1\r\nHost: {url.hostname}:{url.port}\r\n\r\n".encode()
    before = rss_kib(pid)
    sockets = []
    answered = 0
    deadline = time.monotonic() + 120
    # Batches of 200: each batch connects, asks, and reads its answers before the next one starts.
    for start in range(0, count, 200):
        selector = selectors.DefaultSelector()
        batch = []
        for _ in range(start, min(count, start + 200)):
            sock = socket.create_connection((url.hostname, url.port), timeout=10)
            sock.sendall(request)
            sock.setblocking(False)
            selector.register(sock, selectors.EVENT_READ)
            batch.append(sock)
        pending = set(batch)
        while pending and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=1):
                data = key.fileobj.recv(65536)
                if b"\r\n\r\n" in data:
                    pending.discard(key.fileobj)
                    selector.unregister(key.fileobj)
                    answered += 1
        selector.close()
        sockets += batch
    time.sleep(2)
    with_connections = rss_kib(pid)
    print(json.dumps({"connections": len(sockets), "answered": answered, "rss_before_kib": before, "rss_with_kib": with_connections}))
    for sock in sockets:
        sock.close()
    return 0 if answered == count else 1


if __name__ == "__main__":
    sys.exit(main())
