from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.pickup_via import PickupVia
from ..types import UNSET, Unset

T = TypeVar("T", bound="CallPickedUpData")


@_attrs_define
class CallPickedUpData:
    """
    Attributes:
        call_id (str):
        caller (str): The calling number (extension, or the caller id a trunk delivered).
        dialed (str): The number dialled.
        picked_up_by (str): The extension that picked the call up (now talking to the caller).
        ringing (str): The number that was ringing.
        via (PickupVia): How a ringing call was picked up.
        click_to_call (bool | Unset): Present and true for calls placed with `POST /api/v1/calls`.
    """

    call_id: str
    caller: str
    dialed: str
    picked_up_by: str
    ringing: str
    via: PickupVia
    click_to_call: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        call_id = self.call_id

        caller = self.caller

        dialed = self.dialed

        picked_up_by = self.picked_up_by

        ringing = self.ringing

        via = self.via.value

        click_to_call = self.click_to_call

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "call_id": call_id,
                "caller": caller,
                "dialed": dialed,
                "picked_up_by": picked_up_by,
                "ringing": ringing,
                "via": via,
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

        picked_up_by = d.pop("picked_up_by")

        ringing = d.pop("ringing")

        via = PickupVia(d.pop("via"))

        click_to_call = d.pop("click_to_call", UNSET)

        call_picked_up_data = cls(
            call_id=call_id,
            caller=caller,
            dialed=dialed,
            picked_up_by=picked_up_by,
            ringing=ringing,
            via=via,
            click_to_call=click_to_call,
        )

        call_picked_up_data.additional_properties = d
        return call_picked_up_data

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
