from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CallHoldData")


@_attrs_define
class CallHoldData:
    """
    Attributes:
        call_id (str):
        caller (str): The calling number (extension, or the caller id a trunk delivered).
        dialed (str): The number dialled.
        party (str): The number of the party put on hold (or taken off it).
        by (str): The number of the party that pressed Hold (or Resume).
        music (bool): Whether the held party hears music on hold (the call goes through the media relay).
        click_to_call (bool | Unset): Present and true for calls placed with `POST /api/v1/calls`.
    """

    call_id: str
    caller: str
    dialed: str
    party: str
    by: str
    music: bool
    click_to_call: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        call_id = self.call_id

        caller = self.caller

        dialed = self.dialed

        party = self.party

        by = self.by

        music = self.music

        click_to_call = self.click_to_call

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "call_id": call_id,
                "caller": caller,
                "dialed": dialed,
                "party": party,
                "by": by,
                "music": music,
            }
        )
        if click_to_call is not UNSET:
            field_dict["click_to_call"] = click_to_call

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        call_id = d.pop("call_id")

        caller = d.pop("caller")

        dialed = d.pop("dialed")

        party = d.pop("party")

        by = d.pop("by")

        music = d.pop("music")

        click_to_call = d.pop("click_to_call", UNSET)

        call_hold_data = cls(
            call_id=call_id,
            caller=caller,
            dialed=dialed,
            party=party,
            by=by,
            music=music,
            click_to_call=click_to_call,
        )

        call_hold_data.additional_properties = d
        return call_hold_data

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
