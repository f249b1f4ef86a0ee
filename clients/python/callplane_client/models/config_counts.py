from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ConfigCounts")


@_attrs_define
class ConfigCounts:
    """
    Attributes:
        extensions (int):
        trunks (int):
        routes (int):
        ring_groups (int):
        webhooks (int):
    """

    extensions: int
    trunks: int
    routes: int
    ring_groups: int
    webhooks: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        extensions = self.extensions

        trunks = self.trunks

        routes = self.routes

        ring_groups = self.ring_groups

        webhooks = self.webhooks

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "extensions": extensions,
                "trunks": trunks,
                "routes": routes,
                "ring_groups": ring_groups,
                "webhooks": webhooks,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        extensions = d.pop("extensions")

        trunks = d.pop("trunks")

        routes = d.pop("routes")

        ring_groups = d.pop("ring_groups")

        webhooks = d.pop("webhooks")

        config_counts = cls(
            extensions=extensions,
            trunks=trunks,
            routes=routes,
            ring_groups=ring_groups,
            webhooks=webhooks,
        )

        config_counts.additional_properties = d
        return config_counts

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
