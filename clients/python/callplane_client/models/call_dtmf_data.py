from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dtmf_via import DtmfVia
from ..types import UNSET, Unset

T = TypeVar("T", bound="CallDtmfData")


@_attrs_define
class CallDtmfData:
    """
    Attributes:
        call_id (str):
        caller (str): The calling number (extension, or the caller id a trunk delivered).
        dialed (str): The number dialled.
        party (str): The number of the party that pressed the key.
        digit (str): `0`-`9`, `*`, `#`, `A`-`D`.
        via (DtmfVia): How a keypress reached Callplane.
        click_to_call (bool | Unset): Present and true for calls placed with `POST /api/v1/calls`.
        duration_ms (int | Unset): How long the key was held, in milliseconds (when the sender said).
    """

    call_id: str
    caller: str
    dialed: str
    party: str
    digit: str
    via: DtmfVia
    click_to_call: bool | Unset = UNSET
    duration_ms: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        call_id = self.call_id

        caller = self.caller

        dialed = self.dialed

        party = self.party

        digit = self.digit

        via = self.via.value

        click_to_call = self.click_to_call

        duration_ms = self.duration_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "call_id": call_id,
                "caller": caller,
                "dialed": dialed,
                "party": party,
                "digit": digit,
                "via": via,
            }
        )
        if click_to_call is not UNSET:
            field_dict["click_to_call"] = click_to_call
        if duration_ms is not UNSET:
            field_dict["duration_ms"] = duration_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        call_id = d.pop("call_id")

        caller = d.pop("caller")

        dialed = d.pop("dialed")

        party = d.pop("party")

        digit = d.pop("digit")

        via = DtmfVia(d.pop("via"))

        click_to_call = d.pop("click_to_call", UNSET)

        duration_ms = d.pop("duration_ms", UNSET)

        call_dtmf_data = cls(
            call_id=call_id,
            caller=caller,
            dialed=dialed,
            party=party,
            digit=digit,
            via=via,
            click_to_call=click_to_call,
            duration_ms=duration_ms,
        )

        call_dtmf_data.additional_properties = d
        return call_dtmf_data

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
