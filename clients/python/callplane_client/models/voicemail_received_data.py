from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="VoicemailReceivedData")


@_attrs_define
class VoicemailReceivedData:
    """
    Attributes:
        extension_id (str):
        number (str): The box owner's number.
        message_id (str):
        caller (str):
        call_id (str): The call (and its CDR) the message was left in.
        duration_s (float):
        download (str): Where the WAV is downloaded (`GET`, with a token).
    """

    extension_id: str
    number: str
    message_id: str
    caller: str
    call_id: str
    duration_s: float
    download: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        extension_id = self.extension_id

        number = self.number

        message_id = self.message_id

        caller = self.caller

        call_id = self.call_id

        duration_s = self.duration_s

        download = self.download

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "extension_id": extension_id,
                "number": number,
                "message_id": message_id,
                "caller": caller,
                "call_id": call_id,
                "duration_s": duration_s,
                "download": download,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        extension_id = d.pop("extension_id")

        number = d.pop("number")

        message_id = d.pop("message_id")

        caller = d.pop("caller")

        call_id = d.pop("call_id")

        duration_s = d.pop("duration_s")

        download = d.pop("download")

        voicemail_received_data = cls(
            extension_id=extension_id,
            number=number,
            message_id=message_id,
            caller=caller,
            call_id=call_id,
            duration_s=duration_s,
            download=download,
        )

        voicemail_received_data.additional_properties = d
        return voicemail_received_data

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
