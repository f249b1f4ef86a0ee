from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="MessageCounts")


@_attrs_define
class MessageCounts:
    """A mailbox's counts.

    Attributes:
        new_messages (int): New (unheard) voice messages (0–1000000).
        old_messages (int): Old (heard, kept) voice messages (0–1000000).
        new_urgent (int | Unset): How many of the new ones are urgent. Default: 0.
        old_urgent (int | Unset): How many of the old ones are urgent. Default: 0.
    """

    new_messages: int
    old_messages: int
    new_urgent: int | Unset = 0
    old_urgent: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        new_messages = self.new_messages

        old_messages = self.old_messages

        new_urgent = self.new_urgent

        old_urgent = self.old_urgent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "new_messages": new_messages,
                "old_messages": old_messages,
            }
        )
        if new_urgent is not UNSET:
            field_dict["new_urgent"] = new_urgent
        if old_urgent is not UNSET:
            field_dict["old_urgent"] = old_urgent

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        new_messages = d.pop("new_messages")

        old_messages = d.pop("old_messages")

        new_urgent = d.pop("new_urgent", UNSET)

        old_urgent = d.pop("old_urgent", UNSET)

        message_counts = cls(
            new_messages=new_messages,
            old_messages=old_messages,
            new_urgent=new_urgent,
            old_urgent=old_urgent,
        )

        message_counts.additional_properties = d
        return message_counts

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
