from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CallParkedData")


@_attrs_define
class CallParkedData:
    """
    Attributes:
        call_id (str):
        caller (str): The calling number (extension, or the caller id a trunk delivered).
        dialed (str): The number dialled.
        slot (str): The park slot holding the call: dial it to take the call back.
        parked (str): The party waiting in the slot.
        parked_by (str): The extension that parked it.
        timeout_at (datetime.datetime): When the call rings the parker again unless retrieved.
        click_to_call (bool | Unset): Present and true for calls placed with `POST /api/v1/calls`.
    """

    call_id: str
    caller: str
    dialed: str
    slot: str
    parked: str
    parked_by: str
    timeout_at: datetime.datetime
    click_to_call: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        call_id = self.call_id

        caller = self.caller

        dialed = self.dialed

        slot = self.slot

        parked = self.parked

        parked_by = self.parked_by

        timeout_at = self.timeout_at.isoformat()

        click_to_call = self.click_to_call

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "call_id": call_id,
                "caller": caller,
                "dialed": dialed,
                "slot": slot,
                "parked": parked,
                "parked_by": parked_by,
                "timeout_at": timeout_at,
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

        slot = d.pop("slot")

        parked = d.pop("parked")

        parked_by = d.pop("parked_by")

        timeout_at = datetime.datetime.fromisoformat(d.pop("timeout_at"))

        click_to_call = d.pop("click_to_call", UNSET)

        call_parked_data = cls(
            call_id=call_id,
            caller=caller,
            dialed=dialed,
            slot=slot,
            parked=parked,
            parked_by=parked_by,
            timeout_at=timeout_at,
            click_to_call=click_to_call,
        )

        call_parked_data.additional_properties = d
        return call_parked_data

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
