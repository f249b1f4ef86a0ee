from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.binding_transport import BindingTransport

T = TypeVar("T", bound="RegistrationUnreachableData")


@_attrs_define
class RegistrationUnreachableData:
    """A device behind NAT stopped answering keep-alives: calls skip it until it answers or
    registers again.

        Attributes:
            binding_id (str):
            aor (str):
            extension_id (str):
            contact (str):
            source (str): `ip:port` the REGISTER came from (the NAT's mapping), where the keep-alives went.
            transport (BindingTransport):
            since (datetime.datetime):
    """

    binding_id: str
    aor: str
    extension_id: str
    contact: str
    source: str
    transport: BindingTransport
    since: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        binding_id = self.binding_id

        aor = self.aor

        extension_id = self.extension_id

        contact = self.contact

        source = self.source

        transport = self.transport.value

        since = self.since.isoformat()

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
                "since": since,
            }
        )

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

        since = datetime.datetime.fromisoformat(d.pop("since"))

        registration_unreachable_data = cls(
            binding_id=binding_id,
            aor=aor,
            extension_id=extension_id,
            contact=contact,
            source=source,
            transport=transport,
            since=since,
        )

        registration_unreachable_data.additional_properties = d
        return registration_unreachable_data

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
