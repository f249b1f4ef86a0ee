from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RateLimit")


@_attrs_define
class RateLimit:
    """A token bucket per source address: `requests_per_s` sustained, `burst` at once.
    Requests beyond it are dropped unanswered.

        Attributes:
            enabled (bool):
            requests_per_s (int): Sustained messages per second per source (1–100000).
            burst (int): Messages a source may send at once before the sustained rate applies (1–1000000).
    """

    enabled: bool
    requests_per_s: int
    burst: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        requests_per_s = self.requests_per_s

        burst = self.burst

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "enabled": enabled,
                "requests_per_s": requests_per_s,
                "burst": burst,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled")

        requests_per_s = d.pop("requests_per_s")

        burst = d.pop("burst")

        rate_limit = cls(
            enabled=enabled,
            requests_per_s=requests_per_s,
            burst=burst,
        )

        rate_limit.additional_properties = d
        return rate_limit

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
