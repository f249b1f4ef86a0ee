#!/usr/bin/env python3
"""Provision a small office on Callplane from a YAML file and a CSV dial plan.

The file is the truth: what it lists is created, what differs is patched (only the fields
the file names), what already matches is left alone. Running it twice changes nothing the
second time. Nothing is deleted: resources the file does not name are reported, not removed.

    provision_office.py --url http://pbx:8080 --token "$TOKEN" [--dry-run] office.yaml

Secrets are never read back from the API, so they are only set where none is set yet: new
extensions get a random SIP password (printed once, on stdout); the carrier password comes
from the environment variable the file names.
"""

from __future__ import annotations

import argparse
import csv
import os
import secrets
import string
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, TypeVar

import httpx
import yaml
from callplane_client import AuthenticatedClient
from callplane_client.api.extensions import create_extension, list_extensions, update_extension
from callplane_client.api.ring_groups import create_ring_group, list_ring_groups, update_ring_group
from callplane_client.api.routes import create_route, list_routes, update_route
from callplane_client.api.trunks import create_trunk, list_trunks, update_trunk
from callplane_client.models import (
    ExtensionCreate,
    ExtensionPatch,
    Problem,
    RingGroupCreate,
    RingGroupPatch,
    RouteCreate,
    RoutePatch,
    TrunkCreate,
    TrunkPatch,
)
from callplane_client.types import UNSET, Response, Unset

T = TypeVar("T")


class ApiFailure(Exception):
    """An API answer other than the expected one, with Callplane's field-level errors."""


class Resource(Protocol):
    """What every Callplane resource model has in common."""

    id: str

    def to_dict(self) -> dict[str, Any]: ...


class Page(Protocol):
    @property
    def items(self) -> list[Any]: ...

    @property
    def next_cursor(self) -> str | Unset: ...


def expect(response: Response[T | Problem], what: str) -> T:
    """The parsed body of a 2xx answer, or ApiFailure naming every bad field."""
    parsed = response.parsed
    if isinstance(parsed, Problem) or parsed is None or response.status_code >= 300:
        if isinstance(parsed, Problem):
            fields = "; ".join(f"{e.field}: {e.message}" for e in (parsed.errors or []))
            raise ApiFailure(f"{what}: {parsed.status} {parsed.title}: {parsed.detail} {fields}".rstrip())
        raise ApiFailure(f"{what}: HTTP {int(response.status_code)}: {response.content[:200]!r}")
    return parsed


def every(fetch: Callable[[str | Unset], Response[Any]], what: str) -> Iterator[Any]:
    """Every item of a paged list, following `next_cursor`."""
    cursor: str | Unset = UNSET
    while True:
        page: Page = expect(fetch(cursor), what)
        yield from page.items
        if isinstance(page.next_cursor, Unset) or not page.next_cursor:
            return
        cursor = page.next_cursor


def differences(desired: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The fields of `desired` whose value differs from `current`. A nested object differs
    when one of the keys the file names differs; it is then sent whole, with the file's values
    over the current ones, so keys the file does not name keep their value."""
    changed: dict[str, Any] = {}
    for key, want in desired.items():
        have = current.get(key)
        if isinstance(want, dict) and isinstance(have, dict):
            if differences(want, have):
                changed[key] = {**have, **want}
        elif want != have:
            changed[key] = want
    return changed


@dataclass
class Report:
    #: Only report what would change; write nothing.
    dry_run: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        counts = f"created {len(self.created)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}"
        return f"office (dry run, nothing written): {counts}" if self.dry_run else f"office: {counts}"


@dataclass(frozen=True)
class Kind:
    """One kind of resource: how to page, create and patch it, and its natural key."""

    label: str
    key: str
    page: Callable[[AuthenticatedClient, str | Unset], Response[Any]]
    create: Callable[[AuthenticatedClient, dict[str, Any]], Response[Any]]
    patch: Callable[[AuthenticatedClient, str, dict[str, Any]], Response[Any]]


def kind(
    label: str, key: str, lister: ModuleType, creator: ModuleType, updater: ModuleType, create: Any, patch: Any
) -> Kind:
    """A Kind from the generated modules of its list, create and update operations and the
    models of its create and patch bodies."""
    return Kind(
        label,
        key,
        lambda c, cursor: lister.sync_detailed(client=c, limit=100, cursor=cursor),
        lambda c, body: creator.sync_detailed(client=c, body=create.from_dict(body)),
        lambda c, id, body: updater.sync_detailed(id, client=c, body=patch.from_dict(body)),
    )


EXTENSIONS = kind(
    "extension", "number", list_extensions, create_extension, update_extension, ExtensionCreate, ExtensionPatch
)
TRUNKS = kind("trunk", "name", list_trunks, create_trunk, update_trunk, TrunkCreate, TrunkPatch)
RING_GROUPS = kind(
    "ring group", "number", list_ring_groups, create_ring_group, update_ring_group, RingGroupCreate, RingGroupPatch
)
ROUTES = kind("route", "name", list_routes, create_route, update_route, RouteCreate, RoutePatch)

#: Adds write-only fields (secrets) to a body: given the resource's key and its current
#: record (None when it is new), returns the fields to add.
Secrets = Callable[[str, dict[str, Any] | None], dict[str, Any]]


def no_secrets(_key: str, _current: dict[str, Any] | None) -> dict[str, Any]:
    return {}


def reconcile(
    client: AuthenticatedClient, kind: Kind, desired: list[dict[str, Any]], report: Report, secret: Secrets = no_secrets
) -> dict[str, str]:
    """Makes Callplane hold `desired`; returns the id of every resource of this kind by key."""
    current: dict[str, dict[str, Any]] = {}
    for item in every(lambda cursor: kind.page(client, cursor), f"list {kind.label}s"):
        record: dict[str, Any] = item.to_dict()
        current[str(record[kind.key])] = record
    ids = {key: str(record["id"]) for key, record in current.items()}
    wanted: set[str] = set()
    for spec in desired:
        key = str(spec[kind.key])
        wanted.add(key)
        label = f"{kind.label} {key}"
        have = current.get(key)
        if have is None:
            if report.dry_run:
                ids[key] = f"<new {label}>"
            else:
                made: Resource = expect(kind.create(client, {**spec, **secret(key, None)}), f"create {label}")
                ids[key] = made.id
            report.created.append(label)
            continue
        changes = differences(spec, have)
        if not report.dry_run:
            changes.update(secret(key, have))
        if changes:
            fields = ", ".join(sorted(changes))
            if not report.dry_run:
                expect(kind.patch(client, ids[key], changes), f"update {label} ({fields})")
            report.updated.append(f"{label} ({fields})")
        else:
            report.unchanged.append(label)
    for key in sorted(set(current) - wanted):
        print(f"note: {kind.label} {key} is not in the file; left alone", file=sys.stderr)
    return ids


def extension_password(number: str, current: dict[str, Any] | None) -> dict[str, Any]:
    """A new extension, or one without a password, gets a random one (16 letters and digits,
    which every phone accepts), printed once."""
    if current is not None and current.get("has_password"):
        return {}
    password = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(16))
    print(f"password {number}: {password}")
    return {"password": password}


def trunk_passwords(variables: dict[str, str]) -> Secrets:
    """A trunk without a password gets the one in the environment variable the file names."""

    def secret(name: str, current: dict[str, Any] | None) -> dict[str, Any]:
        value = os.environ.get(variables.get(name, ""))
        if not value or (current is not None and current.get("has_password")):
            return {}
        return {"password": value}

    return secret


def dial_plan(path: Path, ids: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """Routes from a CSV file: name,priority,prefix,strip,prepend,target where target is
    `extension:<number>`, `ring_group:<number>` or `trunk:<name>`."""
    routes: list[dict[str, Any]] = []
    with path.open(newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            kind, _, key = row["target"].partition(":")
            target_id = ids.get(kind, {}).get(key)
            if target_id is None:
                raise ApiFailure(f"{path}:{line}: target {row['target']!r} is neither in the file nor in Callplane")
            routes.append(
                {
                    "name": row["name"],
                    "priority": int(row["priority"]),
                    "prefix": row["prefix"],
                    "strip": int(row["strip"] or 0),
                    "prepend": row["prepend"],
                    "target": {"kind": kind, "id": target_id},
                }
            )
    return routes


def provision(client: AuthenticatedClient, office_file: Path, dry_run: bool = False) -> Report:
    office: dict[str, Any] = yaml.safe_load(office_file.read_text())
    report = Report(dry_run=dry_run)
    ids: dict[str, dict[str, str]] = {}
    ids["extension"] = reconcile(client, EXTENSIONS, office.get("extensions", []), report, extension_password)
    trunks: list[dict[str, Any]] = office.get("trunks", [])
    variables = {str(t["name"]): str(t.pop("password_env")) for t in trunks if "password_env" in t}
    ids["trunk"] = reconcile(client, TRUNKS, trunks, report, trunk_passwords(variables))
    ids["ring_group"] = reconcile(client, RING_GROUPS, office.get("ring_groups", []), report)
    if "dial_plan" in office:
        routes = dial_plan(office_file.parent / office["dial_plan"], ids)
        reconcile(client, ROUTES, routes, report)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("office", type=Path, help="office YAML file (see office.yaml)")
    parser.add_argument("--url", default=os.environ.get("CALLPLANE_URL", "http://127.0.0.1:8080"))
    parser.add_argument("--token", default=os.environ.get("CALLPLANE_TOKEN"), help="admin JWT (or CALLPLANE_TOKEN)")
    parser.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    args = parser.parse_args()
    if not args.token:
        parser.error("an admin token is needed: --token or CALLPLANE_TOKEN")
    with AuthenticatedClient(base_url=args.url, token=args.token, raise_on_unexpected_status=True) as client:
        try:
            report = provision(client, args.office, args.dry_run)
        except ApiFailure as failure:
            print(f"error: {failure}", file=sys.stderr)
            return 1
        except httpx.HTTPError as failure:
            print(f"error: cannot reach Callplane at {args.url}: {failure}", file=sys.stderr)
            return 1
    verb = "would " if report.dry_run else ""
    for label in report.created:
        print(f"{verb}create {label}" if verb else f"created {label}")
    for label in report.updated:
        print(f"{verb}update {label}" if verb else f"updated {label}")
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
