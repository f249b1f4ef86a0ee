from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SipDialogIds")


@_attrs_define
class SipDialogIds:
    """A SIP dialog's identifiers, from one party's side (RFC 3261 section 12).

    Attributes:
        call_id (str):
        local_tag (str):
        remote_tag (str):
    """

    call_id: str
    local_tag: str
    remote_tag: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        call_id = self.call_id

        local_tag = self.local_tag

        remote_tag = self.remote_tag

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "call_id": call_id,
                "local_tag": local_tag,
                "remote_tag": remote_tag,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        call_id = d.pop("call_id")

        local_tag = d.pop("local_tag")

        remote_tag = d.pop("remote_tag")

        sip_dialog_ids = cls(
            call_id=call_id,
            local_tag=local_tag,
            remote_tag=remote_tag,
        )

        sip_dialog_ids.additional_properties = d
        return sip_dialog_ids

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
