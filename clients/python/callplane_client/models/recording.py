from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Recording")


@_attrs_define
class Recording:
    """A finished recording.

    Attributes:
        id (str):
        call_id (str): The call it recorded (`/api/v1/calls`, CDR id).
        started_at (datetime.datetime): When its first recorded packet was seen.
        duration_s (float):
        size_bytes (int):
        download (str): Where to download it (`audio/wav`).
    """

    id: str
    call_id: str
    started_at: datetime.datetime
    duration_s: float
    size_bytes: int
    download: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        call_id = self.call_id

        started_at = self.started_at.isoformat()

        duration_s = self.duration_s

        size_bytes = self.size_bytes

        download = self.download

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "call_id": call_id,
                "started_at": started_at,
                "duration_s": duration_s,
                "size_bytes": size_bytes,
                "download": download,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        call_id = d.pop("call_id")

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        duration_s = d.pop("duration_s")

        size_bytes = d.pop("size_bytes")

        download = d.pop("download")

        recording = cls(
            id=id,
            call_id=call_id,
            started_at=started_at,
            duration_s=duration_s,
            size_bytes=size_bytes,
            download=download,
        )

        recording.additional_properties = d
        return recording

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
