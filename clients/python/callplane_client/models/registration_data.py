from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.binding_transport import BindingTransport
from ..types import UNSET, Unset

T = TypeVar("T", bound="RegistrationData")


@_attrs_define
class RegistrationData:
    """A device binding that was created, refreshed, removed or expired.

    Attributes:
        binding_id (str):
        aor (str): The extension number (address of record).
        extension_id (str):
        contact (str):
        source (str): `ip:port` the REGISTER came from.
        transport (BindingTransport):
        expires_at (datetime.datetime):
        user_agent (str | Unset):
    """

    binding_id: str
    aor: str
    extension_id: str
    contact: str
    source: str
    transport: BindingTransport
    expires_at: datetime.datetime
    user_agent: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        binding_id = self.binding_id

        aor = self.aor

        extension_id = self.extension_id

        contact = self.contact

        source = self.source

        transport = self.transport.value

        expires_at = self.expires_at.isoformat()

        user_agent = self.user_agent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "binding_id": binding_id,
                "aor": aor,
                "extension_id": extension_id,
                "contact": contact,
                "source": source,
                "transport": transport,
                "expires_at": expires_at,
            }
        )
        if user_agent is not UNSET:
            field_dict["user_agent"] = user_agent

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        binding_id = d.pop("binding_id")

        aor = d.pop("aor")

        extension_id = d.pop("extension_id")

        contact = d.pop("contact")

        source = d.pop("source")

        transport = BindingTransport(d.pop("transport"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        user_agent = d.pop("user_agent", UNSET)

        registration_data = cls(
            binding_id=binding_id,
            aor=aor,
            extension_id=extension_id,
            contact=contact,
            source=source,
            transport=transport,
            expires_at=expires_at,
            user_agent=user_agent,
        )

        registration_data.additional_properties = d
        return registration_data

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
