from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.config_counts import ConfigCounts
    from ..models.media_status import MediaStatus
    from ..models.sip_status import SipStatus


T = TypeVar("T", bound="Status")


@_attrs_define
class Status:
    """
    Attributes:
        version (str): Callplane version.
        database (str): `sqlite` or `postgres`.
        snapshot_version (int): Bumped on every configuration change.
        snapshot_build_ms (float): How long the last full snapshot build from the store took, in milliseconds.
        counts (ConfigCounts):
        uptime_s (int):
        sip (SipStatus | Unset):
        media (MediaStatus | Unset): The media relay.
    """

    version: str
    database: str
    snapshot_version: int
    snapshot_build_ms: float
    counts: ConfigCounts
    uptime_s: int
    sip: SipStatus | Unset = UNSET
    media: MediaStatus | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        database = self.database

        snapshot_version = self.snapshot_version

        snapshot_build_ms = self.snapshot_build_ms

        counts = self.counts.to_dict()

        uptime_s = self.uptime_s

        sip: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sip, Unset):
            sip = self.sip.to_dict()

        media: dict[str, Any] | Unset = UNSET
        if not isinstance(self.media, Unset):
            media = self.media.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version": version,
                "database": database,
                "snapshot_version": snapshot_version,
                "snapshot_build_ms": snapshot_build_ms,
                "counts": counts,
                "uptime_s": uptime_s,
            }
        )
        if sip is not UNSET:
            field_dict["sip"] = sip
        if media is not UNSET:
            field_dict["media"] = media

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.config_counts import ConfigCounts  # noqa: PLC0415
        from ..models.media_status import MediaStatus  # noqa: PLC0415
        from ..models.sip_status import SipStatus  # noqa: PLC0415

        d = dict(src_dict)
        version = d.pop("version")

        database = d.pop("database")

        snapshot_version = d.pop("snapshot_version")

        snapshot_build_ms = d.pop("snapshot_build_ms")

        counts = ConfigCounts.from_dict(d.pop("counts"))

        uptime_s = d.pop("uptime_s")

        _sip = d.pop("sip", UNSET)
        sip: SipStatus | Unset
        if isinstance(_sip, Unset):
            sip = UNSET
        else:
            sip = SipStatus.from_dict(_sip)

        _media = d.pop("media", UNSET)
        media: MediaStatus | Unset
        if isinstance(_media, Unset):
            media = UNSET
        else:
            media = MediaStatus.from_dict(_media)

        status = cls(
            version=version,
            database=database,
            snapshot_version=snapshot_version,
            snapshot_build_ms=snapshot_build_ms,
            counts=counts,
            uptime_s=uptime_s,
            sip=sip,
            media=media,
        )

        status.additional_properties = d
        return status

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
