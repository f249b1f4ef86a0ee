from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.route_target import RouteTarget


T = TypeVar("T", bound="RoutePatch")


@_attrs_define
class RoutePatch:
    """
    Attributes:
        name (str | Unset):
        priority (int | Unset):
        prefix (str | Unset): Digits, `*` and `#` with an optional leading `+`; may be empty.
        strip (int | Unset):
        prepend (str | Unset): Digits, `*` and `#` with an optional leading `+`; may be empty.
        target (RouteTarget | Unset): What a matching number is sent to, by id.
        enabled (bool | Unset):
    """

    name: str | Unset = UNSET
    priority: int | Unset = UNSET
    prefix: str | Unset = UNSET
    strip: int | Unset = UNSET
    prepend: str | Unset = UNSET
    target: RouteTarget | Unset = UNSET
    enabled: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        priority = self.priority

        prefix = self.prefix

        strip = self.strip

        prepend = self.prepend

        target: dict[str, Any] | Unset = UNSET
        if not isinstance(self.target, Unset):
            target = self.target.to_dict()

        enabled = self.enabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if priority is not UNSET:
            field_dict["priority"] = priority
        if prefix is not UNSET:
            field_dict["prefix"] = prefix
        if strip is not UNSET:
            field_dict["strip"] = strip
        if prepend is not UNSET:
            field_dict["prepend"] = prepend
        if target is not UNSET:
            field_dict["target"] = target
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.route_target import RouteTarget  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name", UNSET)

        priority = d.pop("priority", UNSET)

        prefix = d.pop("prefix", UNSET)

        strip = d.pop("strip", UNSET)

        prepend = d.pop("prepend", UNSET)

        _target = d.pop("target", UNSET)
        target: RouteTarget | Unset
        if isinstance(_target, Unset):
            target = UNSET
        else:
            target = RouteTarget.from_dict(_target)

        enabled = d.pop("enabled", UNSET)

        route_patch = cls(
            name=name,
            priority=priority,
            prefix=prefix,
            strip=strip,
            prepend=prepend,
            target=target,
            enabled=enabled,
        )

        route_patch.additional_properties = d
        return route_patch

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
