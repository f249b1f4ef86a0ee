from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.binding_transport import BindingTransport
from ..types import UNSET, Unset

T = TypeVar("T", bound="Binding")


@_attrs_define
class Binding:
    """A registration: one device of one extension, and how to reach it.

    Attributes:
        id (str):
        aor (str): The extension number (address of record).
        extension_id (str):
        contact (str): The Contact URI the device registered.
        source (str): Address the REGISTER came from; requests to the device go here (NAT-safe).
        transport (BindingTransport):
        path (list[str]): Proxies between the device and Callplane (RFC 3327 Path), nearest to Callplane
            first: requests to the device are routed through them.
        call_id (str):
        cseq (int):
        expires_at (datetime.datetime):
        registered_at (datetime.datetime):
        refreshed_at (datetime.datetime):
        instance (str | Unset): The device's `+sip.instance` (RFC 5626), when it sent one.
        user_agent (str | Unset):
        node (str | Unset): The node that took the REGISTER (several nodes on one PostgreSQL): it expires the
            binding; the others deliver calls to it too.
    """

    id: str
    aor: str
    extension_id: str
    contact: str
    source: str
    transport: BindingTransport
    path: list[str]
    call_id: str
    cseq: int
    expires_at: datetime.datetime
    registered_at: datetime.datetime
    refreshed_at: datetime.datetime
    instance: str | Unset = UNSET
    user_agent: str | Unset = UNSET
    node: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        aor = self.aor

        extension_id = self.extension_id

        contact = self.contact

        source = self.source

        transport = self.transport.value

        path = self.path

        call_id = self.call_id

        cseq = self.cseq

        expires_at = self.expires_at.isoformat()

        registered_at = self.registered_at.isoformat()

        refreshed_at = self.refreshed_at.isoformat()

        instance = self.instance

        user_agent = self.user_agent

        node = self.node

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "aor": aor,
                "extension_id": extension_id,
                "contact": contact,
                "source": source,
                "transport": transport,
                "path": path,
                "call_id": call_id,
                "cseq": cseq,
                "expires_at": expires_at,
                "registered_at": registered_at,
                "refreshed_at": refreshed_at,
            }
        )
        if instance is not UNSET:
            field_dict["instance"] = instance
        if user_agent is not UNSET:
            field_dict["user_agent"] = user_agent
        if node is not UNSET:
            field_dict["node"] = node

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        aor = d.pop("aor")

        extension_id = d.pop("extension_id")

        contact = d.pop("contact")

        source = d.pop("source")

        transport = BindingTransport(d.pop("transport"))

        path = cast(list[str], d.pop("path"))

        call_id = d.pop("call_id")

        cseq = d.pop("cseq")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        registered_at = datetime.datetime.fromisoformat(d.pop("registered_at"))

        refreshed_at = datetime.datetime.fromisoformat(d.pop("refreshed_at"))

        instance = d.pop("instance", UNSET)

        user_agent = d.pop("user_agent", UNSET)

        node = d.pop("node", UNSET)

        binding = cls(
            id=id,
            aor=aor,
            extension_id=extension_id,
            contact=contact,
            source=source,
            transport=transport,
            path=path,
            call_id=call_id,
            cseq=cseq,
            expires_at=expires_at,
            registered_at=registered_at,
            refreshed_at=refreshed_at,
            instance=instance,
            user_agent=user_agent,
            node=node,
        )

        binding.additional_properties = d
        return binding

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
