from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="VoicemailSettings")


@_attrs_define
class VoicemailSettings:
    """Stored with its nulls (a removed limit stays removed); shown without them.

    Attributes:
        max_messages (int | Unset): Messages a box holds; a full box takes no more (the caller gets 480). `null`: no
            limit.
        keep_days (int | Unset): Every message is deleted this many days after it arrived. `null`: kept.
        keep_heard_days (int | Unset): A heard message is deleted this many days after it arrived. `null`: kept.
    """

    max_messages: int | Unset = UNSET
    keep_days: int | Unset = UNSET
    keep_heard_days: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        max_messages = self.max_messages

        keep_days = self.keep_days

        keep_heard_days = self.keep_heard_days

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if max_messages is not UNSET:
            field_dict["max_messages"] = max_messages
        if keep_days is not UNSET:
            field_dict["keep_days"] = keep_days
        if keep_heard_days is not UNSET:
            field_dict["keep_heard_days"] = keep_heard_days

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        max_messages = d.pop("max_messages", UNSET)

        keep_days = d.pop("keep_days", UNSET)

        keep_heard_days = d.pop("keep_heard_days", UNSET)

        voicemail_settings = cls(
            max_messages=max_messages,
            keep_days=keep_days,
            keep_heard_days=keep_heard_days,
        )

        voicemail_settings.additional_properties = d
        return voicemail_settings

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
