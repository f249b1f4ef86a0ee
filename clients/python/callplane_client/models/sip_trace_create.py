from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SipTraceCreate")


@_attrs_define
class SipTraceCreate:
    """What to trace: exactly one of `extension`, `trunk`, `call`.

    Attributes:
        extension (str | Unset): An extension's id or number: messages whose From, To or Request-URI is that number.
        trunk (str | Unset): A trunk's id: messages to and from its servers (as DNS locates them now).
        call (str | Unset): A live call's id: the messages of its dialogs.
        max_bytes (int | Unset): The file stops growing here (default 10 MB, at most 200 MB).
        duration_s (int | Unset): The trace stops after this long (default 600 s, at most a day).
    """

    extension: str | Unset = UNSET
    trunk: str | Unset = UNSET
    call: str | Unset = UNSET
    max_bytes: int | Unset = UNSET
    duration_s: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        extension = self.extension

        trunk = self.trunk

        call = self.call

        max_bytes = self.max_bytes

        duration_s = self.duration_s

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if extension is not UNSET:
            field_dict["extension"] = extension
        if trunk is not UNSET:
            field_dict["trunk"] = trunk
        if call is not UNSET:
            field_dict["call"] = call
        if max_bytes is not UNSET:
            field_dict["max_bytes"] = max_bytes
        if duration_s is not UNSET:
            field_dict["duration_s"] = duration_s

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        extension = d.pop("extension", UNSET)

        trunk = d.pop("trunk", UNSET)

        call = d.pop("call", UNSET)

        max_bytes = d.pop("max_bytes", UNSET)

        duration_s = d.pop("duration_s", UNSET)

        sip_trace_create = cls(
            extension=extension,
            trunk=trunk,
            call=call,
            max_bytes=max_bytes,
            duration_s=duration_s,
        )

        sip_trace_create.additional_properties = d
        return sip_trace_create

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
