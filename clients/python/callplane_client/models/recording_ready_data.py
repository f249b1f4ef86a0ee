from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RecordingReadyData")


@_attrs_define
class RecordingReadyData:
    """
    Attributes:
        recording_id (str):
        call_id (str):
        duration_s (float):
        download (str): Where to download it (`audio/wav`, `calls` or `admin` scope).
    """

    recording_id: str
    call_id: str
    duration_s: float
    download: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        recording_id = self.recording_id

        call_id = self.call_id

        duration_s = self.duration_s

        download = self.download

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "recording_id": recording_id,
                "call_id": call_id,
                "duration_s": duration_s,
                "download": download,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        recording_id = d.pop("recording_id")

        call_id = d.pop("call_id")

        duration_s = d.pop("duration_s")

        download = d.pop("download")

        recording_ready_data = cls(
            recording_id=recording_id,
            call_id=call_id,
            duration_s=duration_s,
            download=download,
        )

        recording_ready_data.additional_properties = d
        return recording_ready_data

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
