"""Checks byte_exact.py, which decides when an accepted invalid-data case is not a failure: it must
admit exactly the requests the gateway must accept. Run by scripts/fuzz-contract.sh before fuzzing."""

import sys
from types import SimpleNamespace

from byte_exact import ByteExactSchema
from schemathesis.core import NOT_SET


def case(path, method, path_parameters=None, query=None, headers=None, body=NOT_SET, media_type="application/json"):
    operation = SimpleNamespace(path=path, method=method)
    return SimpleNamespace(operation=operation, path_parameters=path_parameters, query=query, headers=headers, body=body, media_type=media_type)


CF = {"id": "cf:order-fulfillment:order-10230"}
CHECKS = [
    ("a 400-byte reason of 200 characters", case("/v1/instances/{id}/cancel", "POST", CF, body={"reason": "é" * 200}), True),
    ("a 502-byte reason", case("/v1/instances/{id}/cancel", "POST", CF, body={"reason": "é" * 251}), False),
    ("a 500-character ASCII reason", case("/v1/instances/{id}/cancel", "POST", CF, body={"reason": "x" * 500, "force": None}), True),
    ("an unknown body member", case("/v1/instances/{id}/cancel", "POST", CF, body={"reason": "x", "extra": 1}), False),
    ("a 100-byte event type of 50 characters", case("/v1/instances/{id}/events/{type}", "POST", {**CF, "type": "ü" * 50}), True),
    ("a 102-byte event type", case("/v1/instances/{id}/events/{type}", "POST", {**CF, "type": "ü" * 51}), False),
    ("an event type with a `/..` inside (encoded: one segment)", case("/v1/instances/{id}/events/{type}", "POST", {**CF, "type": "a/../b"}), True),
    ("an event type `..`", case("/v1/instances/{id}/events/{type}", "POST", {**CF, "type": ".."}), False),
    ("a file name `.`", case("/v1/instances/{id}/files/{name}", "GET", {**CF, "name": "."}), False),
    ("a native id part `..`", case("/v1/instances/{id}", "GET", {"id": "cf:..:x"}), False),
    ("a last native id part `.`", case("/v1/instances/{id}", "GET", {"id": "cf:wf:."}), False),
    ("a native id with `/../` but no `..` part", case("/v1/instances/{id}", "GET", {"id": "b24:a/../b"}), True),
    ("a definition part `..`", case("/v1/instances", "POST", body={"definition": "geo:.."}), False),
    ("an entity type with a control character", case("/v1/instances", "POST", body={"definition": "cf:x", "entity": {"type": "a\u0091", "id": "1"}}), False),
    ("a C1 control character in an id", case("/v1/instances/{id}", "GET", {"id": "geo:a\u0085"}), False),
    ("a 512-byte id of 256 characters", case("/v1/instances/{id}", "GET", {"id": "geo:" + "é" * 254}), True),
    ("a 513-byte id", case("/v1/instances/{id}", "GET", {"id": "geo:" + "é" * 254 + "x"}), False),
    ("a status list ending in a comma", case("/v1/instances", "GET", query={"status": "running,", "limit": 5}), False),
    ("a good query", case("/v1/instances", "GET", query={"status": "running", "limit": 5, "connection": ["geo"]}), True),
    ("an unknown query parameter", case("/v1/instances", "GET", query={"bogus": "1"}), False),
    ("a 100-byte entity type of 50 characters", case("/v1/instances", "POST", body={"definition": "cf:x", "entity": {"type": "ä" * 50, "id": 5}}), True),
    ("a start without a body", case("/v1/instances", "POST"), False),
    ("an Idempotency-Key with a space", case("/v1/instances", "POST", headers={"Idempotency-Key": "a b"}, body={"definition": "cf:x"}), False),
]

schema = ByteExactSchema(sys.argv[1] if len(sys.argv) > 1 else "Routes/openapi.yaml")
wrong = [name for name, request, expected in CHECKS if schema.admits(request) != expected]
if wrong:
    sys.exit("byte_exact.py misjudges: " + "; ".join(wrong))
print(f"byte_exact.py: {len(CHECKS)} checks passed")
