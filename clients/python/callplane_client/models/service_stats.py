from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ServiceStats")


@_attrs_define
class ServiceStats:
    """Invocations and failures of one service since start.

    Attributes:
        invocations (int):
        failures (int):
        last_error (str | Unset):
    """

    invocations: int
    failures: int
    last_error: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        invocations = self.invocations

        failures = self.failures

        last_error = self.last_error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "invocations": invocations,
                "failures": failures,
            }
        )
        if last_error is not UNSET:
            field_dict["last_error"] = last_error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        invocations = d.pop("invocations")

        failures = d.pop("failures")

        last_error = d.pop("last_error", UNSET)

        service_stats = cls(
            invocations=invocations,
            failures=failures,
            last_error=last_error,
        )

        service_stats.additional_properties = d
        return service_stats

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
