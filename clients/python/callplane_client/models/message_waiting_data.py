from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MessageWaitingData")


@_attrs_define
class MessageWaitingData:
    """A mailbox's message counts changed (through the API or by voicemail).

    Attributes:
        extension_id (str):
        number (str):
        new_messages (int):
        old_messages (int):
        new_urgent (int):
        old_urgent (int):
    """

    extension_id: str
    number: str
    new_messages: int
    old_messages: int
    new_urgent: int
    old_urgent: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        extension_id = self.extension_id

        number = self.number

        new_messages = self.new_messages

        old_messages = self.old_messages

        new_urgent = self.new_urgent

        old_urgent = self.old_urgent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "extension_id": extension_id,
                "number": number,
                "new_messages": new_messages,
                "old_messages": old_messages,
                "new_urgent": new_urgent,
                "old_urgent": old_urgent,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        extension_id = d.pop("extension_id")

        number = d.pop("number")

        new_messages = d.pop("new_messages")

        old_messages = d.pop("old_messages")

        new_urgent = d.pop("new_urgent")

        old_urgent = d.pop("old_urgent")

        message_waiting_data = cls(
            extension_id=extension_id,
            number=number,
            new_messages=new_messages,
            old_messages=old_messages,
            new_urgent=new_urgent,
            old_urgent=old_urgent,
        )

        message_waiting_data.additional_properties = d
        return message_waiting_data

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
