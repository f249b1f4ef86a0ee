from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.transfer_via import TransferVia
from ..types import UNSET, Unset

T = TypeVar("T", bound="CallTransferredData")


@_attrs_define
class CallTransferredData:
    """
    Attributes:
        call_id (str):
        caller (str): The calling number (extension, or the caller id a trunk delivered).
        dialed (str): The number dialled.
        transferee (str): The party that stays, connected to `target`.
        transferor (str): The party released (the phone that pressed Transfer, or the one the API let go).
        target (str): The number the call goes on to (through the dial plan, like any call).
        via (TransferVia): How a transfer was asked for.
        ended_segment (str): The CDR id of the segment that ended with this transfer.
        click_to_call (bool | Unset): Present and true for calls placed with `POST /api/v1/calls`.
    """

    call_id: str
    caller: str
    dialed: str
    transferee: str
    transferor: str
    target: str
    via: TransferVia
    ended_segment: str
    click_to_call: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        call_id = self.call_id

        caller = self.caller

        dialed = self.dialed

        transferee = self.transferee

        transferor = self.transferor

        target = self.target

        via = self.via.value

        ended_segment = self.ended_segment

        click_to_call = self.click_to_call

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "call_id": call_id,
                "caller": caller,
                "dialed": dialed,
                "transferee": transferee,
                "transferor": transferor,
                "target": target,
                "via": via,
                "ended_segment": ended_segment,
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

        transferee = d.pop("transferee")

        transferor = d.pop("transferor")

        target = d.pop("target")

        via = TransferVia(d.pop("via"))

        ended_segment = d.pop("ended_segment")

        click_to_call = d.pop("click_to_call", UNSET)

        call_transferred_data = cls(
            call_id=call_id,
            caller=caller,
            dialed=dialed,
            transferee=transferee,
            transferor=transferor,
            target=target,
            via=via,
            ended_segment=ended_segment,
            click_to_call=click_to_call,
        )

        call_transferred_data.additional_properties = d
        return call_transferred_data

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
