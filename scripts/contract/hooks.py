"""schemathesis hooks for scripts/fuzz-contract.sh: the rules of the contract that JSON Schema cannot say.

- A cursor is valid only if the gateway issued it, for the same tenant and filters: no generator can
  make one. A valid-data case with a `cursor` gets a real one (the same list asked once without it);
  when that list has a single page, the case goes without a cursor. Invalid-data cases keep theirs,
  so forged cursors are still sent and must be refused.
- `started_after` later than `started_before` is a 400: a valid-data case gets them in order.
- A `definition` filter lists its own connection only, so a `connection` filter without that
  connection is a 400: a valid-data case gets it added.
- The native route's `{path}` spans segments, which OpenAPI cannot say: schemathesis percent-encodes
  a generated `/` as `%2F`, which the gateway refuses. Generated paths are made one segment (`/`, `\`
  and `%` become `_`, a `.` or `..` segment becomes `_`), so what is sent is what a client would send.
- 501 NOT_SUPPORTED (a provider lacking an operation) and 502/503/504 with an UPSTREAM_* code (an
  upstream's answer or absence) are documented answers, not gateway errors: they are counted in the
  summary file instead of failing the run. Any other 5xx fails it.
- JSON Schema counts characters, the gateway bytes: a byte-bounded string (`x-max-bytes` in the
  schema) is held to a quarter of its bound in characters unless it is ASCII, so an invalid-data case
  may be a longer non-ASCII text that is still within the bound, which the gateway rightly serves. An
  accepted invalid-data case is checked again against the schema with every `x-max-bytes` read as
  bytes (`byte_exact.py`); when it is valid so, it is counted, not failed.
- A valid-data case refused with 400 whose error names a provider (`error.provider` set) broke that
  provider's own rule (a Geotareas id is digits, Workingflow takes no entity…; the schema's
  "Provider rules"): the schema cannot know which provider a connection name has, so these are
  counted too. A 400 with `error.provider` null is the canonical API's own and fails the run.
"""

import json
import os
import threading
from collections import Counter

import requests
import schemathesis
from byte_exact import ByteExactSchema
from hypothesis.internal import lambda_sources

# Hypothesis names each filter by parsing its lambda's source with `ast.parse`. Deep inside
# schemathesis' coverage walk, CPython 3.11 (3.11.2 in Debian 12, 3.11.7 here) can fail that parse with
# "SystemError: AST constructor recursion depth mismatch" (CPython issue 106905), which aborts the
# coverage phase of the operation. The name only labels the strategy, so fall back to a plain one.
_describe_lambda = lambda_sources.lambda_description


def _lambda_description_or_placeholder(f):
    try:
        return _describe_lambda(f)
    except SystemError:
        return "lambda: <source not parsed>"


lambda_sources.lambda_description = _lambda_description_or_placeholder

DOCUMENTED_5XX = {
    501: {"NOT_SUPPORTED"},
    502: {"UPSTREAM_ERROR", "UPSTREAM_AUTH_FAILED"},
    503: {"UPSTREAM_UNAVAILABLE"},
    504: {"UPSTREAM_TIMEOUT"},
}
_documented = Counter()
_documented_lock = threading.Lock()  # schemathesis calls hooks from its worker threads


def _is_positive(case):
    meta = case.meta
    return meta is not None and meta.generation.mode.is_positive


def _error(response):
    try:
        error = json.loads(response.content or b"{}").get("error")
    except (ValueError, AttributeError):
        return {}
    return error if isinstance(error, dict) else {}


def _error_code(response):
    return _error(response).get("code")


@schemathesis.hook
def before_call(context, case, **kwargs):
    _one_segment_native_path(case)
    if not _is_positive(case) or not isinstance(case.query, dict):
        return
    query = case.query
    after, before = _instant(query.get("started_after")), _instant(query.get("started_before"))
    if after is not None and before is not None and after > before:
        query["started_after"], query["started_before"] = query["started_before"], query["started_after"]
    # A definition lists only its own connection: naming other connections as well is a 400.
    definition, named = query.get("definition"), query.get("connection")
    if isinstance(definition, str) and ":" in definition and isinstance(named, list) and named:
        own = definition.split(":", 1)[0]
        if own not in named:
            named.append(own)
    if "cursor" in query and case.operation.path == "/v1/instances":
        del query["cursor"]
        headers = {"Authorization": "Bearer " + os.environ["FUZZ_CONTRACT_KEY"]}
        first = requests.get(os.environ["FUZZ_CONTRACT_BASE"] + "/v1/instances", params=query, headers=headers, timeout=20)
        token = first.json().get("meta", {}).get("next_cursor") if first.status_code == 200 else None
        if token:
            query["cursor"] = token


def _one_segment_native_path(case):
    """The native `{path}` as one segment, in every phase (the examples' multi-segment ones too)."""
    parameters = case.path_parameters
    value = parameters.get("path") if isinstance(parameters, dict) else None
    if "/native/" not in case.operation.path or not isinstance(value, str):
        return
    segment = value.replace("/", "_").replace("\\", "_").replace("%", "_")
    parameters["path"] = "_" if segment in (".", "..") else segment


def _instant(text):
    """Seconds since the epoch of an RFC 3339 timestamp the schema admitted, for ordering only; None
    for anything else (Python's datetime has no year 0, which RFC 3339 has)."""
    from datetime import datetime

    if not isinstance(text, str):
        return None
    normalized = text.upper().replace("Z", "+00:00")
    if "." in normalized:
        head, tail = normalized.split(".", 1)
        digits = "".join(ch for ch in tail if ch.isdigit())
        zone = tail[len(digits):]
        normalized = f"{head}.{(digits + '000000')[:6]}{zone}"
    try:
        return datetime.fromisoformat(normalized.replace("T", " ")).timestamp()
    except ValueError:
        return None


@schemathesis.hook
def filter_failure(context, failure, case, response):
    status, kind, error = response.status_code, type(failure).__name__, _error(response)
    if kind == "ServerError" and status in DOCUMENTED_5XX and error.get("code") in DOCUMENTED_5XX[status]:
        return _count(f"{status} {error.get('code')} from {error.get('connection')}: {str(error.get('message'))[:72]}")
    if kind == "AcceptedNegativeData" and _byte_exact().admits(case):
        return _count(f"{status} accepted: schema-invalid only in characters, within its x-max-bytes")
    if kind == "RejectedPositiveData" and status == 400 and error.get("provider"):
        fields = ",".join(sorted({str(d.get("field")) for d in error.get("details") or [] if isinstance(d, dict)}))
        return _count(f"400 {error['provider']} rule ({fields})")
    return True


_byte_exact_schema = None


def _byte_exact():
    global _byte_exact_schema
    if _byte_exact_schema is None:
        _byte_exact_schema = ByteExactSchema(os.environ.get("FUZZ_CONTRACT_SPEC", "Routes/openapi.yaml"))
    return _byte_exact_schema


def _count(key):
    with _documented_lock:
        _documented[key] += 1
        path = os.environ.get("FUZZ_CONTRACT_SUMMARY")
        if path:
            with open(path, "w") as summary:
                for name, count in sorted(_documented.items()):
                    summary.write(f"{count:5d}  {name}\n")
    return False
