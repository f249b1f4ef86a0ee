from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.route_target import RouteTarget


T = TypeVar("T", bound="Route")


@_attrs_define
class Route:
    """A dial-plan entry. The longest matching prefix wins; among equal prefixes the lowest
    `priority` wins.

        Attributes:
            id (str):
            name (str):
            priority (int): Lower numbers are tried first among routes with the same prefix.
            prefix (str): Digits (and `*`, `#`, leading `+`) the dialled number starts with; empty matches all.
            strip (int): Leading digits removed before the number is sent on.
            prepend (str): Digits added in front after stripping.
            target (RouteTarget): What a matching number is sent to, by id.
            enabled (bool):
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
    """

    id: str
    name: str
    priority: int
    prefix: str
    strip: int
    prepend: str
    target: RouteTarget
    enabled: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        priority = self.priority

        prefix = self.prefix

        strip = self.strip

        prepend = self.prepend

        target = self.target.to_dict()

        enabled = self.enabled

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "priority": priority,
                "prefix": prefix,
                "strip": strip,
                "prepend": prepend,
                "target": target,
                "enabled": enabled,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.route_target import RouteTarget  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        priority = d.pop("priority")

        prefix = d.pop("prefix")

        strip = d.pop("strip")

        prepend = d.pop("prepend")

        target = RouteTarget.from_dict(d.pop("target"))

        enabled = d.pop("enabled")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        route = cls(
            id=id,
            name=name,
            priority=priority,
            prefix=prefix,
            strip=strip,
            prepend=prepend,
            target=target,
            enabled=enabled,
            created_at=created_at,
            updated_at=updated_at,
        )

        route.additional_properties = d
        return route

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
