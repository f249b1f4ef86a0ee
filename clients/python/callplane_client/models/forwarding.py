from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Forwarding")


@_attrs_define
class Forwarding:
    """Where calls to an extension go instead: a number, or `voicemail` (the extension's own
    box).

        Attributes:
            unconditional (str | Unset): Forward every call.
            busy (str | Unset): Forward when every device answers busy (486).
            no_answer (str | Unset): Forward when nobody answers within `no_answer_timeout_s`.
            unavailable (str | Unset): Forward when no device is registered.
            no_answer_timeout_s (int | Unset): Seconds to ring before `no_answer` applies. Default: 20.
    """

    unconditional: str | Unset = UNSET
    busy: str | Unset = UNSET
    no_answer: str | Unset = UNSET
    unavailable: str | Unset = UNSET
    no_answer_timeout_s: int | Unset = 20
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        unconditional = self.unconditional

        busy = self.busy

        no_answer = self.no_answer

        unavailable = self.unavailable

        no_answer_timeout_s = self.no_answer_timeout_s

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if unconditional is not UNSET:
            field_dict["unconditional"] = unconditional
        if busy is not UNSET:
            field_dict["busy"] = busy
        if no_answer is not UNSET:
            field_dict["no_answer"] = no_answer
        if unavailable is not UNSET:
            field_dict["unavailable"] = unavailable
        if no_answer_timeout_s is not UNSET:
            field_dict["no_answer_timeout_s"] = no_answer_timeout_s

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        unconditional = d.pop("unconditional", UNSET)

        busy = d.pop("busy", UNSET)

        no_answer = d.pop("no_answer", UNSET)

        unavailable = d.pop("unavailable", UNSET)

        no_answer_timeout_s = d.pop("no_answer_timeout_s", UNSET)

        forwarding = cls(
            unconditional=unconditional,
            busy=busy,
            no_answer=no_answer,
            unavailable=unavailable,
            no_answer_timeout_s=no_answer_timeout_s,
        )

        forwarding.additional_properties = d
        return forwarding

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
