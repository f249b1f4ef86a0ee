from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookFailingData")


@_attrs_define
class WebhookFailingData:
    """
    Attributes:
        webhook_id (str):
        url (str):
        delivery_id (str):
        last_error (str | Unset):
    """

    webhook_id: str
    url: str
    delivery_id: str
    last_error: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        webhook_id = self.webhook_id

        url = self.url

        delivery_id = self.delivery_id

        last_error = self.last_error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "webhook_id": webhook_id,
                "url": url,
                "delivery_id": delivery_id,
            }
        )
        if last_error is not UNSET:
            field_dict["last_error"] = last_error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        webhook_id = d.pop("webhook_id")

        url = d.pop("url")

        delivery_id = d.pop("delivery_id")

        last_error = d.pop("last_error", UNSET)

        webhook_failing_data = cls(
            webhook_id=webhook_id,
            url=url,
            delivery_id=delivery_id,
            last_error=last_error,
        )

        webhook_failing_data.additional_properties = d
        return webhook_failing_data

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
