from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FailToBan")


@_attrs_define
class FailToBan:
    """N authentication failures from one source within a window ban the source.

    Attributes:
        enabled (bool):
        max_failures (int): Failures (wrong password, unknown user with credentials) that ban a source (1–1000).
        window_s (int): Window the failures are counted in, seconds (1–86400).
        ban_s (int): How long a ban lasts, seconds (1–2592000, i.e. 30 days).
    """

    enabled: bool
    max_failures: int
    window_s: int
    ban_s: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        max_failures = self.max_failures

        window_s = self.window_s

        ban_s = self.ban_s

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "enabled": enabled,
                "max_failures": max_failures,
                "window_s": window_s,
                "ban_s": ban_s,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled")

        max_failures = d.pop("max_failures")

        window_s = d.pop("window_s")

        ban_s = d.pop("ban_s")

        fail_to_ban = cls(
            enabled=enabled,
            max_failures=max_failures,
            window_s=window_s,
            ban_s=ban_s,
        )

        fail_to_ban.additional_properties = d
        return fail_to_ban

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
