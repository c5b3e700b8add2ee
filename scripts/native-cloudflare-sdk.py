#!/usr/bin/env python3
"""The official Cloudflare Python SDK, unchanged, against Flowgate's native passthrough.

The SDK's `base_url` points at `<gateway>/v1/connections/<connection>/native` and its API token is a
Flowgate key with the `native` scope: the SDK never sees Cloudflare's token, Flowgate injects it. The
script lists workflows, pages through instances, creates an instance, reads it, pauses, resumes and
terminates one, sends an event, and checks the SDK's typed errors for a missing instance and a bad key.

Two ways to run it (the SDK version is pinned in scripts/requirements-native-sdk.txt):

    # against a running `flowgate demo` (its demo key has the native scope)
    python3 scripts/native-cloudflare-sdk.py --gateway http://127.0.0.1:8080

    # or let the script start `flowgate demo` itself, on free loopback ports, and stop it after
    python3 scripts/native-cloudflare-sdk.py --flowgate .build/debug/flowgate

Exits 0 when every check passed, 1 otherwise; prints one line per check and a `N passed, N failed` line.
"""
import argparse
import json
import os
import pathlib
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

import cloudflare
from cloudflare import Cloudflare

DEMO_KEY = "fgk_demo_local_only"
DEMO_ACCOUNT = "demo0account"
WORKFLOW = "order-fulfillment"
ROOT = pathlib.Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_demo(binary: str) -> tuple[subprocess.Popen, str, pathlib.Path]:
    """`flowgate demo` with Config/demo.yaml moved to free loopback ports; returns the process and its URL."""
    text = (ROOT / "Config" / "demo.yaml").read_text()
    gateway = free_port()
    text = re.sub(r"(?m)^(  port: )\d+$", rf"\g<1>{gateway}", text, count=1)
    text = re.sub(r"http://127\.0\.0\.1:\d+", lambda _: f"http://127.0.0.1:{free_port()}", text)
    folder = pathlib.Path(tempfile.mkdtemp(prefix="flowgate-sdk-"))
    config = folder / "demo.yaml"
    config.write_text(text)
    log = open(folder / "demo.log", "w")
    process = subprocess.Popen([binary, "demo", "--config", str(config)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{gateway}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"flowgate demo exited with {process.returncode}; see {folder / 'demo.log'}")
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return process, url, folder
        except OSError:
            pass
        time.sleep(0.2)
    stop(process)
    raise SystemExit(f"flowgate demo was not ready within 60 s; see {folder / 'demo.log'}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


class Checks:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def run(self, name: str, check) -> None:
        try:
            check()
        except Exception as error:  # every failure is reported, then the next check runs
            self.failed += 1
            print(f"FAIL {name}: {type(error).__name__}: {error}")
        else:
            self.passed += 1
            print(f"ok   {name}")


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def run_checks(gateway: str, key: str, connection: str, account: str) -> Checks:
    base_url = f"{gateway}/v1/connections/{connection}/native"
    # max_retries=0: a refusal must show as the SDK's typed error at once, not after its own retries.
    sdk = Cloudflare(api_token=key, base_url=base_url, max_retries=0, timeout=30)
    checks = Checks()
    created = f"sdk-{uuid.uuid4().hex[:12]}"

    def list_workflows():
        names = [workflow.name for workflow in sdk.workflows.list(account_id=account)]
        expect(WORKFLOW in names, f"{WORKFLOW} not among {names}")

    def paginate_instances():
        first = sdk.workflows.instances.list(WORKFLOW, account_id=account, per_page=2)
        expect(len(first.result) == 2, f"a first page of 2, got {len(first.result)}")
        pages = list(first.iter_pages())
        ids = [instance.id for page in pages for instance in page.result]
        expect(len(pages) >= 2, f"the SDK's pager fetched {len(pages)} page(s)")
        expect(len(ids) == len(set(ids)) and len(ids) > 2, f"{len(ids)} instances over {len(pages)} pages, no repeats")
        print(f"     {len(ids)} instances over {len(pages)} pages")

    def create_instance():
        instance = sdk.workflows.instances.create(WORKFLOW, account_id=account, instance_id=created, params=json.dumps({"order": 42}))
        expect(instance.id == created, f"created {instance.id}")

    def get_instance():
        instance = sdk.workflows.instances.get(created, account_id=account, workflow_name=WORKFLOW)
        expect(instance.status in ("queued", "running"), f"status {instance.status}")

    def change(status: str, expected: str):
        def check():
            changed = sdk.workflows.instances.status.edit(created, account_id=account, workflow_name=WORKFLOW, status=status)
            expect(changed.status == expected, f"{status} answered {changed.status}")
        return check

    def send_event():
        # order-10226 waits for `warehouse-picked` in the emulator's seed.
        sdk.workflows.instances.events.create(
            "warehouse-picked", account_id=account, workflow_name=WORKFLOW, instance_id="order-10226", body={"boxes": 2}
        )
        after = sdk.workflows.instances.get("order-10226", account_id=account, workflow_name=WORKFLOW)
        expect(after.status == "running", f"after the event: {after.status}")

    def missing_instance():
        try:
            sdk.workflows.instances.get("no-such-instance", account_id=account, workflow_name=WORKFLOW)
        except cloudflare.NotFoundError as error:
            expect(error.status_code == 404, f"status {error.status_code}")
            return
        raise AssertionError("no NotFoundError")

    def bad_key():
        stranger = Cloudflare(api_token="fgk_not_a_flowgate_key", base_url=base_url, max_retries=0, timeout=30)
        try:
            stranger.workflows.list(account_id=account)
        except cloudflare.AuthenticationError as error:
            expect(error.status_code == 401, f"status {error.status_code}")
            expect(error.response.headers.get("x-flowgate-error") == "UNAUTHENTICATED", "X-Flowgate-Error")
            body = error.body if isinstance(error.body, dict) else {}
            expect(body.get("errors", [{}])[0].get("code") == 10000, f"Cloudflare's envelope: {error.body}")
            return
        raise AssertionError("no AuthenticationError")

    def other_account():
        try:
            sdk.workflows.list(account_id="someone-elses-account")
        except cloudflare.PermissionDeniedError as error:
            expect(error.status_code == 403, f"status {error.status_code}")
            return
        raise AssertionError("no PermissionDeniedError")

    checks.run("list workflows", list_workflows)
    checks.run("paginate instances (SDK pager, 2 per page)", paginate_instances)
    checks.run("create an instance", create_instance)
    checks.run("get it", get_instance)
    checks.run("pause it", change("pause", "paused"))
    checks.run("resume it", change("resume", "running"))
    checks.run("send an event", send_event)
    checks.run("terminate it", change("terminate", "terminated"))
    checks.run("a missing instance is NotFoundError", missing_instance)
    checks.run("a bad key is AuthenticationError", bad_key)
    checks.run("another account is PermissionDeniedError", other_account)
    return checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gateway", help="URL of a running gateway (e.g. flowgate demo)")
    parser.add_argument("--flowgate", help="path of the flowgate binary: start `flowgate demo` on free ports")
    parser.add_argument("--key", default=os.environ.get("FLOWGATE_KEY", DEMO_KEY), help="Flowgate key with the native scope")
    parser.add_argument("--connection", default="cf", help="the Cloudflare connection's name")
    parser.add_argument("--account", default=DEMO_ACCOUNT, help="the connection's account_id")
    arguments = parser.parse_args()
    if bool(arguments.gateway) == bool(arguments.flowgate):
        parser.error("give exactly one of --gateway or --flowgate")
    print(f"cloudflare SDK {cloudflare.__version__}")
    process = None
    gateway = arguments.gateway
    try:
        if arguments.flowgate:
            process, gateway, folder = start_demo(arguments.flowgate)
            print(f"flowgate demo at {gateway} (log: {folder / 'demo.log'})")
        checks = run_checks(gateway.rstrip("/"), arguments.key, arguments.connection, arguments.account)
    finally:
        if process:
            stop(process)
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
