from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CallerId")


@_attrs_define
class CallerId:
    """Caller identity presented on outbound calls through this trunk.

    Attributes:
        number (str | Unset): Number in the From user part; absent keeps the caller's own number.
        display_name (str | Unset):
        p_asserted_identity (bool | Unset): Also send `P-Asserted-Identity` with this identity. Default: False.
    """

    number: str | Unset = UNSET
    display_name: str | Unset = UNSET
    p_asserted_identity: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        display_name = self.display_name

        p_asserted_identity = self.p_asserted_identity

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if number is not UNSET:
            field_dict["number"] = number
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if p_asserted_identity is not UNSET:
            field_dict["p_asserted_identity"] = p_asserted_identity

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        number = d.pop("number", UNSET)

        display_name = d.pop("display_name", UNSET)

        p_asserted_identity = d.pop("p_asserted_identity", UNSET)

        caller_id = cls(
            number=number,
            display_name=display_name,
            p_asserted_identity=p_asserted_identity,
        )

        caller_id.additional_properties = d
        return caller_id

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
