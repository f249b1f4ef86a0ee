from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ConfigChangedData")


@_attrs_define
class ConfigChangedData:
    """
    Attributes:
        resource (str): `extension`, `trunk`, `route`, `ring_group`, `webhook`, `api_token`, …
        id (str):
        action (str): `created`, `updated` or `deleted`.
        snapshot_version (int): The configuration snapshot version that holds the change.
    """

    resource: str
    id: str
    action: str
    snapshot_version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        resource = self.resource

        id = self.id

        action = self.action

        snapshot_version = self.snapshot_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "resource": resource,
                "id": id,
                "action": action,
                "snapshot_version": snapshot_version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        resource = d.pop("resource")

        id = d.pop("id")

        action = d.pop("action")

        snapshot_version = d.pop("snapshot_version")

        config_changed_data = cls(
            resource=resource,
            id=id,
            action=action,
            snapshot_version=snapshot_version,
        )

        config_changed_data.additional_properties = d
        return config_changed_data

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
