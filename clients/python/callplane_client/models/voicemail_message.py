from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="VoicemailMessage")


@_attrs_define
class VoicemailMessage:
    """A message in a box.

    Attributes:
        id (str):
        extension_id (str): The box owner's extension id and number.
        number (str):
        caller (str): Who called (their number as the call showed it).
        call_id (str): The call the message was left in (its CDR has the same id).
        received_at (datetime.datetime):
        duration_s (float):
        heard (bool): Whether someone listened to it (or marked it so).
    """

    id: str
    extension_id: str
    number: str
    caller: str
    call_id: str
    received_at: datetime.datetime
    duration_s: float
    heard: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        extension_id = self.extension_id

        number = self.number

        caller = self.caller

        call_id = self.call_id

        received_at = self.received_at.isoformat()

        duration_s = self.duration_s

        heard = self.heard

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "extension_id": extension_id,
                "number": number,
                "caller": caller,
                "call_id": call_id,
                "received_at": received_at,
                "duration_s": duration_s,
                "heard": heard,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        extension_id = d.pop("extension_id")

        number = d.pop("number")

        caller = d.pop("caller")

        call_id = d.pop("call_id")

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        duration_s = d.pop("duration_s")

        heard = d.pop("heard")

        voicemail_message = cls(
            id=id,
            extension_id=extension_id,
            number=number,
            caller=caller,
            call_id=call_id,
            received_at=received_at,
            duration_s=duration_s,
            heard=heard,
        )

        voicemail_message.additional_properties = d
        return voicemail_message

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
