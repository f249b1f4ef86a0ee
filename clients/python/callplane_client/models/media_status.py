from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="MediaStatus")


@_attrs_define
class MediaStatus:
    """The media relay.

    Attributes:
        rtpengine (list[str]): The rtpengine ng endpoints in use; empty: no relay (direct media).
        reachable (bool): Whether every one of them answered `ping` just now.
        available (bool): Whether new calls may be relayed: the last health check (once a second) found the
            relay answering. While it is not, new calls use direct media.
        sessions (int | Unset): Media sessions the relay holds (one per relayed call), when reachable.
    """

    rtpengine: list[str]
    reachable: bool
    available: bool
    sessions: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        rtpengine = self.rtpengine

        reachable = self.reachable

        available = self.available

        sessions = self.sessions

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "rtpengine": rtpengine,
                "reachable": reachable,
                "available": available,
            }
        )
        if sessions is not UNSET:
            field_dict["sessions"] = sessions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        rtpengine = cast(list[str], d.pop("rtpengine"))

        reachable = d.pop("reachable")

        available = d.pop("available")

        sessions = d.pop("sessions", UNSET)

        media_status = cls(
            rtpengine=rtpengine,
            reachable=reachable,
            available=available,
            sessions=sessions,
        )

        media_status.additional_properties = d
        return media_status

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
