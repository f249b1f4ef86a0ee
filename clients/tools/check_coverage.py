#!/usr/bin/env python3
"""Checks that both generated SDKs cover the whole OpenAPI document: every schema is a
model (Python) or an exported type (TypeScript), every operation is a function, and every
operation's request and 2xx response schemas are the ones that function sends and parses.
A generator that silently drops a model or an endpoint fails here, naming what is missing.

    check_coverage.py SPEC PYTHON_CLIENT_DIR TYPESCRIPT_SRC_DIR
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def pascal(name: str) -> str:
    """How both generators name a schema's type: words split at non-alphanumerics, each
    starting upper case (`CloudEvent_CallEndedEvent` -> `CloudEventCallEndedEvent`)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", name) if part)


def camel(operation_id: str) -> str:
    words = [w for w in operation_id.split("_") if w]
    return words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])


def ref_name(schema: dict[str, Any] | None) -> str | None:
    """The component a body schema names, directly or as the items of an array."""
    if not schema:
        return None
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return ref_name(schema.get("items"))
    return None


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, list[tuple[str, bool]]]]:
    """(operationId, the schemas of its JSON request body and 2xx JSON responses, each with
    True when it is the request body)."""
    for item in spec["paths"].values():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            used: list[tuple[str, bool]] = []
            body = op.get("requestBody", {}).get("content", {})
            for content_type, media in body.items():
                if "json" in content_type and (name := ref_name(media.get("schema"))):
                    used.append((name, True))
            for status, response in op.get("responses", {}).items():
                if not str(status).startswith("2"):
                    continue
                for content_type, media in response.get("content", {}).items():
                    if "json" in content_type and (name := ref_name(media.get("schema"))):
                        used.append((name, False))
            yield op["operationId"], used


def python_gaps(spec: dict[str, Any], root: Path) -> list[str]:
    sys.path.insert(0, str(root))
    package = next(p.name for p in root.iterdir() if (p / "__init__.py").exists() and (p / "models").is_dir())
    models = importlib.import_module(f"{package}.models")
    gaps: list[str] = []
    for name, schema in spec["components"]["schemas"].items():
        # openapi-python-client types a oneOf/anyOf union inline, as the union of its variants'
        # models, so a union is covered when every variant is a model.
        variants = [ref_name(v) for v in schema.get("oneOf", []) + schema.get("anyOf", [])]
        wanted = [v for v in variants if v] if variants else [name]
        gaps += [f"schema {name}: no model {pascal(w)}" for w in wanted if not hasattr(models, pascal(w))]
    modules = {p.stem: p for p in (root / package / "api").glob("*/*.py")}
    for operation_id, used in operations(spec):
        path = modules.get(operation_id)
        if path is None:
            gaps.append(f"operation {operation_id}: no module api/*/{operation_id}.py")
            continue
        module = importlib.import_module(f"{package}.api.{path.parent.name}.{operation_id}")
        for function in ("sync_detailed", "asyncio_detailed"):
            if not callable(getattr(module, function, None)):
                gaps.append(f"operation {operation_id}: no {function}")
        source = path.read_text()
        gaps += [
            f"operation {operation_id}: does not use model {pascal(n)}"
            for n, _ in used
            if not re.search(rf"\b{pascal(n)}\b", source)
        ]
    return gaps


def typescript_gaps(spec: dict[str, Any], src: Path) -> list[str]:
    types = (src / "types.gen.ts").read_text()
    sdk = (src / "sdk.gen.ts").read_text()
    exported = set(re.findall(r"^export type (\w+)", types, re.MULTILINE))
    object_types = {
        m.group(1): m.group(0) for m in re.finditer(r"^export type (\w+) = \{.*?^\};", types, re.MULTILINE | re.DOTALL)
    }
    gaps = [
        f"schema {name}: no type {pascal(name)}"
        for name in spec["components"]["schemas"]
        if pascal(name) not in exported
    ]
    for operation_id, used in operations(spec):
        if not re.search(rf"^export const {camel(operation_id)} = ", sdk, re.MULTILINE):
            gaps.append(f"operation {operation_id}: no function {camel(operation_id)}")
            continue
        blocks = "\n".join(object_types.get(f"{pascal(operation_id)}{part}", "") for part in ("Data", "Responses"))
        for name, is_request in used:
            # A request body with writeOnly fields is typed `<Name>Writable` (the read type
            # leaves them out).
            accepted = [pascal(name), f"{pascal(name)}Writable"] if is_request else [pascal(name)]
            if not any(re.search(rf"\b{a}\b", blocks) for a in accepted):
                gaps.append(f"operation {operation_id}: does not use type {pascal(name)}")
    return gaps


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    spec = yaml.safe_load(Path(sys.argv[1]).read_text())
    python = python_gaps(spec, Path(sys.argv[2]))
    typescript = typescript_gaps(spec, Path(sys.argv[3]))
    for gap in python:
        print(f"python: {gap}")
    for gap in typescript:
        print(f"typescript: {gap}")
    schemas, ops = len(spec["components"]["schemas"]), sum(1 for _ in operations(spec))
    if python or typescript:
        gaps = f"{len(python)} Python and {len(typescript)} TypeScript gaps"
        print(f"coverage: {gaps} ({schemas} schemas, {ops} operations)")
        return 1
    print(f"coverage: all {schemas} schemas and {ops} operations are in both clients")
    return 0


if __name__ == "__main__":
    sys.exit(main())
