from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.unpark_reason import UnparkReason
from ..types import UNSET, Unset

T = TypeVar("T", bound="CallUnparkedData")


@_attrs_define
class CallUnparkedData:
    """
    Attributes:
        call_id (str):
        caller (str): The calling number (extension, or the caller id a trunk delivered).
        dialed (str): The number dialled.
        slot (str):
        reason (UnparkReason): Why a call left its park slot.
        click_to_call (bool | Unset): Present and true for calls placed with `POST /api/v1/calls`.
        to (str | Unset): Who took the call: the extension that dialled the slot, or the parker rung again.
    """

    call_id: str
    caller: str
    dialed: str
    slot: str
    reason: UnparkReason
    click_to_call: bool | Unset = UNSET
    to: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        call_id = self.call_id

        caller = self.caller

        dialed = self.dialed

        slot = self.slot

        reason = self.reason.value

        click_to_call = self.click_to_call

        to = self.to

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "call_id": call_id,
                "caller": caller,
                "dialed": dialed,
                "slot": slot,
                "reason": reason,
            }
        )
        if click_to_call is not UNSET:
            field_dict["click_to_call"] = click_to_call
        if to is not UNSET:
            field_dict["to"] = to

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        call_id = d.pop("call_id")

        caller = d.pop("caller")

        dialed = d.pop("dialed")

        slot = d.pop("slot")

        reason = UnparkReason(d.pop("reason"))

        click_to_call = d.pop("click_to_call", UNSET)

        to = d.pop("to", UNSET)

        call_unparked_data = cls(
            call_id=call_id,
            caller=caller,
            dialed=dialed,
            slot=slot,
            reason=reason,
            click_to_call=click_to_call,
            to=to,
        )

        call_unparked_data.additional_properties = d
        return call_unparked_data

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
