from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.route_target import RouteTarget


T = TypeVar("T", bound="RouteCreate")


@_attrs_define
class RouteCreate:
    """
    Attributes:
        prefix (str): Digits, `*` and `#` with an optional leading `+`; may be empty.
        target (RouteTarget): What a matching number is sent to, by id.
        name (str | Unset):  Default: ''.
        priority (int | Unset):  Default: 100.
        strip (int | Unset):  Default: 0.
        prepend (str | Unset): Digits, `*` and `#` with an optional leading `+`; may be empty. Default: ''.
        enabled (bool | Unset):  Default: True.
    """

    prefix: str
    target: RouteTarget
    name: str | Unset = ""
    priority: int | Unset = 100
    strip: int | Unset = 0
    prepend: str | Unset = ""
    enabled: bool | Unset = True
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prefix = self.prefix

        target = self.target.to_dict()

        name = self.name

        priority = self.priority

        strip = self.strip

        prepend = self.prepend

        enabled = self.enabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "prefix": prefix,
                "target": target,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if priority is not UNSET:
            field_dict["priority"] = priority
        if strip is not UNSET:
            field_dict["strip"] = strip
        if prepend is not UNSET:
            field_dict["prepend"] = prepend
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.route_target import RouteTarget  # noqa: PLC0415

        d = dict(src_dict)
        prefix = d.pop("prefix")

        target = RouteTarget.from_dict(d.pop("target"))

        name = d.pop("name", UNSET)

        priority = d.pop("priority", UNSET)

        strip = d.pop("strip", UNSET)

        prepend = d.pop("prepend", UNSET)

        enabled = d.pop("enabled", UNSET)

        route_create = cls(
            prefix=prefix,
            target=target,
            name=name,
            priority=priority,
            strip=strip,
            prepend=prepend,
            enabled=enabled,
        )

        route_create.additional_properties = d
        return route_create

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
