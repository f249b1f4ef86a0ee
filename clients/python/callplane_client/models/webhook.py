from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Webhook")


@_attrs_define
class Webhook:
    """
    Attributes:
        id (str):
        url (str): `http://` or `https://` URL the events are POSTed to.
        description (str):
        event_types (list[str]): Event type patterns, e.g. `call.*`, `registration.created`; `*` for all.
        enabled (bool):
        has_secret (bool): The signing secret is write-only; this says one is set.
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        generated_secret (str | Unset): Only in the answer to a create without `secret`: the secret Callplane generated
            (`whsec_` + base64). Shown once; store it now.
    """

    id: str
    url: str
    description: str
    event_types: list[str]
    enabled: bool
    has_secret: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    generated_secret: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        url = self.url

        description = self.description

        event_types = self.event_types

        enabled = self.enabled

        has_secret = self.has_secret

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        generated_secret = self.generated_secret

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "url": url,
                "description": description,
                "event_types": event_types,
                "enabled": enabled,
                "has_secret": has_secret,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if generated_secret is not UNSET:
            field_dict["generated_secret"] = generated_secret

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        url = d.pop("url")

        description = d.pop("description")

        event_types = cast(list[str], d.pop("event_types"))

        enabled = d.pop("enabled")

        has_secret = d.pop("has_secret")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        generated_secret = d.pop("generated_secret", UNSET)

        webhook = cls(
            id=id,
            url=url,
            description=description,
            event_types=event_types,
            enabled=enabled,
            has_secret=has_secret,
            created_at=created_at,
            updated_at=updated_at,
            generated_secret=generated_secret,
        )

        webhook.additional_properties = d
        return webhook

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
