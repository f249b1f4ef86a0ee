from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.package import Package

T = TypeVar("T", bound="SubscriptionView")


@_attrs_define
class SubscriptionView:
    """A subscription a phone holds on this node.

    Attributes:
        id (str):
        package (Package): The packages, named as in the `Event` header.
        resource (str): The watched extension's number.
        subscriber (str): The subscribing extension's number.
        source (str): The subscriber's address (`ip:port`) and transport.
        transport (str):
        created_at (datetime.datetime):
        expires_at (datetime.datetime):
    """

    id: str
    package: Package
    resource: str
    subscriber: str
    source: str
    transport: str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        package = self.package.value

        resource = self.resource

        subscriber = self.subscriber

        source = self.source

        transport = self.transport

        created_at = self.created_at.isoformat()

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "package": package,
                "resource": resource,
                "subscriber": subscriber,
                "source": source,
                "transport": transport,
                "created_at": created_at,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        package = Package(d.pop("package"))

        resource = d.pop("resource")

        subscriber = d.pop("subscriber")

        source = d.pop("source")

        transport = d.pop("transport")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        subscription_view = cls(
            id=id,
            package=package,
            resource=resource,
            subscriber=subscriber,
            source=source,
            transport=transport,
            created_at=created_at,
            expires_at=expires_at,
        )

        subscription_view.additional_properties = d
        return subscription_view

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
