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
        ng_round_trip_p50_ms (float | Unset): Median round trip of the last 1024 requests to the relay (offer, answer,
            delete…),
            in milliseconds: what the relay adds to each SDP exchange of a call's setup.
        ng_round_trip_p99_ms (float | Unset): Their 99th percentile.
    """

    rtpengine: list[str]
    reachable: bool
    available: bool
    sessions: int | Unset = UNSET
    ng_round_trip_p50_ms: float | Unset = UNSET
    ng_round_trip_p99_ms: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        rtpengine = self.rtpengine

        reachable = self.reachable

        available = self.available

        sessions = self.sessions

        ng_round_trip_p50_ms = self.ng_round_trip_p50_ms

        ng_round_trip_p99_ms = self.ng_round_trip_p99_ms

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
        if ng_round_trip_p50_ms is not UNSET:
            field_dict["ng_round_trip_p50_ms"] = ng_round_trip_p50_ms
        if ng_round_trip_p99_ms is not UNSET:
            field_dict["ng_round_trip_p99_ms"] = ng_round_trip_p99_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        rtpengine = cast(list[str], d.pop("rtpengine"))

        reachable = d.pop("reachable")

        available = d.pop("available")

        sessions = d.pop("sessions", UNSET)

        ng_round_trip_p50_ms = d.pop("ng_round_trip_p50_ms", UNSET)

        ng_round_trip_p99_ms = d.pop("ng_round_trip_p99_ms", UNSET)

        media_status = cls(
            rtpengine=rtpengine,
            reachable=reachable,
            available=available,
            sessions=sessions,
            ng_round_trip_p50_ms=ng_round_trip_p50_ms,
            ng_round_trip_p99_ms=ng_round_trip_p99_ms,
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
