from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SipTrace")


@_attrs_define
class SipTrace:
    """
    Attributes:
        id (str):
        target (str): What it keeps, e.g. `extension 1001`.
        started_at (datetime.datetime):
        running (bool): False once stopped (by request, or at its size or time limit).
        packets (int):
        bytes_ (int): The file's size so far.
        max_bytes (int):
        download (str): Where to download the pcap.
    """

    id: str
    target: str
    started_at: datetime.datetime
    running: bool
    packets: int
    bytes_: int
    max_bytes: int
    download: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        target = self.target

        started_at = self.started_at.isoformat()

        running = self.running

        packets = self.packets

        bytes_ = self.bytes_

        max_bytes = self.max_bytes

        download = self.download

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "target": target,
                "started_at": started_at,
                "running": running,
                "packets": packets,
                "bytes": bytes_,
                "max_bytes": max_bytes,
                "download": download,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        target = d.pop("target")

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        running = d.pop("running")

        packets = d.pop("packets")

        bytes_ = d.pop("bytes")

        max_bytes = d.pop("max_bytes")

        download = d.pop("download")

        sip_trace = cls(
            id=id,
            target=target,
            started_at=started_at,
            running=running,
            packets=packets,
            bytes_=bytes_,
            max_bytes=max_bytes,
            download=download,
        )

        sip_trace.additional_properties = d
        return sip_trace

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
