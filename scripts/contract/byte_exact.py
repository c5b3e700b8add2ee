"""Validates a schemathesis case against Routes/openapi.yaml with byte bounds counted in bytes.

The schema states each UTF-8 byte bound twice: exactly, as `x-max-bytes: N`, and for JSON Schema
tools as `anyOf: [{maxLength: N, ASCII pattern}, {maxLength: N/4}]`, which admits only texts within
the bound but not every such text. Here every schema with `x-max-bytes` loses that `anyOf` and gains a
format checking the UTF-8 length instead; everything else (patterns, types, required members, unknown
members) is checked as written. A case valid under this reading is one the gateway must accept.
"""

import copy

import jsonschema_rs
import yaml

from schemathesis.core import NOT_SET


class ByteExactSchema:
    def __init__(self, path):
        with open(path) as spec:
            self.document = yaml.safe_load(spec)
        self.formats = {}

    def admits(self, case):
        """Whether every part of the request is valid with byte bounds read as bytes."""
        operation = case.operation
        item = self.document["paths"][operation.path]
        definition = item[operation.method.lower()]
        parameters = [self._resolve(p) for p in item.get("parameters", []) + definition.get("parameters", [])]
        supplied = {
            "path": case.path_parameters or {},
            "query": case.query or {},
            "header": {name.lower(): value for name, value in (case.headers or {}).items()},
        }
        declared_query = {p["name"] for p in parameters if p["in"] == "query"}
        if set(supplied["query"]) - declared_query:
            return False
        for parameter in parameters:
            values = supplied.get(parameter["in"], {})
            name = parameter["name"].lower() if parameter["in"] == "header" else parameter["name"]
            if name not in values:
                if parameter.get("required"):
                    return False
                continue
            if not self._valid(parameter["schema"], values[name]):
                return False
        return self._body_admitted(definition.get("requestBody"), case)

    def _body_admitted(self, request_body, case):
        body = case.body
        if request_body is None:
            return body is NOT_SET or body is None
        request_body = self._resolve(request_body)
        if body is NOT_SET:
            return not request_body.get("required", False)
        if case.media_type not in (None, "application/json"):
            return False
        schema = request_body["content"]["application/json"].get("schema", {})
        return self._valid(schema, body)

    def _valid(self, schema, value):
        exact = self._byte_exact(self._inline(schema))
        validator = jsonschema_rs.validator_for(exact, formats=self.formats, validate_formats=True)
        return validator.is_valid(value)

    def _byte_exact(self, schema):
        if isinstance(schema, list):
            return [self._byte_exact(item) for item in schema]
        if not isinstance(schema, dict):
            return schema
        result = {key: self._byte_exact(value) for key, value in schema.items() if not key.startswith("x-")}
        limit = schema.get("x-max-bytes")
        if isinstance(limit, int):
            result.pop("anyOf", None)
            name = f"utf8-at-most-{limit}-bytes"
            self.formats[name] = lambda text, limit=limit: len(text.encode("utf-8", "surrogatepass")) <= limit
            result = {"allOf": [result, {"format": name}]} if "format" in result else {**result, "format": name}
        return result

    def _inline(self, schema, depth=0):
        """The schema with every local `$ref` replaced by its target (request schemas do not recurse)."""
        if depth > 32:
            raise ValueError("schema nests too deeply to inline")
        if isinstance(schema, list):
            return [self._inline(item, depth + 1) for item in schema]
        if not isinstance(schema, dict):
            return schema
        if "$ref" in schema:
            return self._inline(self._resolve(schema), depth + 1)
        return {key: self._inline(value, depth + 1) for key, value in schema.items()}

    def _resolve(self, node):
        while isinstance(node, dict) and "$ref" in node:
            target = self.document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        return copy.deepcopy(node)
